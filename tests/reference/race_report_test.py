#!/usr/bin/env python3
"""Checks bench/reference/race_report.py on a made-up race: the table gives
libnn's speed-up over each PyTorch row of the same batch and precision (and
none where libnn has no row), and the SVG is well-formed with one marker per
row, batch sizes left to right and faster rows higher.

usage: race_report_test.py RACE_REPORT_PY
"""
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

SVG = "{http://www.w3.org/2000/svg}"
RACE = """implementation,mode,precision,batch,images_per_s
libnn,eager,fp32,64,300
libnn,eager,fp32,512,900
pytorch,eager,fp32,64,100
pytorch,eager,fp32,256,200
pytorch,eager,bf16,512,1800
pytorch,reduce-overhead,fp32,512,600
"""


def check(condition, message):
    if not condition:
        raise SystemExit(f"race_report_test: {message}")


def main():
    report = sys.argv[1]
    with tempfile.TemporaryDirectory() as folder:
        csv_path, svg_path = Path(folder, "race.csv"), Path(folder, "race.svg")
        csv_path.write_text(RACE)
        result = subprocess.run([sys.executable, report, str(csv_path), str(svg_path), "--title", "a <race>"],
                                capture_output=True, text=True, check=True)
        rows = {tuple(line.split()[:4]): line.split()[5:] for line in result.stdout.splitlines()[1:]}
        check(rows[("pytorch", "eager", "fp32", "64")] == ["3.00x"], f"speed-up at batch 64:\n{result.stdout}")
        check(rows[("pytorch", "reduce-overhead", "fp32", "512")] == ["1.50x"], f"batch 512:\n{result.stdout}")
        check(rows[("pytorch", "eager", "fp32", "256")] == [], f"no libnn row at batch 256:\n{result.stdout}")
        check(rows[("pytorch", "eager", "bf16", "512")] == [], f"no libnn row in bf16:\n{result.stdout}")
        check(rows[("libnn", "eager", "fp32", "64")] == [], f"a libnn row has no speed-up:\n{result.stdout}")
        root = ET.parse(svg_path).getroot()
        check(root.find(f"{SVG}text").text == "a <race>", "the title, escaped and read back")
        circles = root.findall(f"{SVG}circle")
        check(len(circles) == 6, f"{len(circles)} markers for 6 rows")
        marker = {c.find(f"{SVG}title").text: (float(c.get("cx")), float(c.get("cy"))) for c in circles}
        libnn_64 = marker["libnn eager fp32, batch 64: 300.0 images/s"]
        torch_64 = marker["pytorch eager fp32, batch 64: 100.0 images/s"]
        torch_256 = marker["pytorch eager fp32, batch 256: 200.0 images/s"]
        torch_512 = marker["pytorch eager bf16, batch 512: 1800.0 images/s"]
        check(libnn_64[0] == torch_64[0] < torch_256[0] < torch_512[0], "batch sizes from left to right")
        check(torch_512[1] < libnn_64[1] < torch_256[1] < torch_64[1], "more images/s higher up")
        check(len(root.findall(f"{SVG}polyline")) == 4, "one line per implementation, mode and precision")
    print("race_report_test: passed")


if __name__ == "__main__":
    main()
