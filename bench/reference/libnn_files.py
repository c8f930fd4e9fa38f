"""libnn's file formats read and written from Python with the standard library,
numpy and PyTorch only: the packed image cache (libnn/data: image_cache.hpp,
cache_file.cpp) and safetensors checkpoints (libnn/include/nn/safetensors.hpp).
"""
import json
import os
import struct
import sys

import numpy as np
import torch

CACHE_MAGIC = b"NNIMGCAC"
CACHE_VERSION = 1
CACHE_HEADER_BYTES = 128
FNV_OFFSET, FNV_PRIME = 0xCBF29CE484222325, 0x100000001B3

SAFETENSORS_DTYPES = {"F32": torch.float32, "F64": torch.float64, "F16": torch.float16, "I64": torch.int64,
                      "I32": torch.int32, "U8": torch.uint8}

# Both formats are little-endian and are read and written here as raw memory.
assert sys.byteorder == "little", "libnn's file formats are little-endian"


class FormatError(Exception):
    pass


def fnv1a(data, value=FNV_OFFSET):
    for byte in data:
        value = ((value ^ byte) * FNV_PRIME) & 0xFFFFFFFFFFFFFFFF
    return value


def read_image_cache(path):
    """The images ([N, C, H, W] uint8, planar) and labels ([N, L] uint8, 0/1) of
    an image cache file, and its header fields. The header's magic, version,
    size and checksum are checked, and the payload's size; the payload's own
    checksum is not (libnn checks it whenever it maps the file)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != CACHE_MAGIC:
        raise FormatError(f"{path}: not a libnn image cache file (no {CACHE_MAGIC.decode()} magic)")
    if len(data) < CACHE_HEADER_BYTES:
        raise FormatError(f"{path}: truncated header ({len(data)} bytes)")
    version, header_bytes = struct.unpack_from("<II", data, 8)
    if version != CACHE_VERSION or header_bytes != CACHE_HEADER_BYTES:
        raise FormatError(f"{path}: cache format version {version} (header {header_bytes} bytes), "
                          f"expected {CACHE_VERSION} ({CACHE_HEADER_BYTES} bytes)")
    (stored_checksum,) = struct.unpack_from("<Q", data, CACHE_HEADER_BYTES - 8)
    if stored_checksum != fnv1a(data[:CACHE_HEADER_BYTES - 8]):
        raise FormatError(f"{path}: the cache header is damaged (checksum mismatch)")
    crop_mode, halving, split = struct.unpack_from("<BBB", data, 24)
    (size,) = struct.unpack_from("<I", data, 28)
    (fraction,) = struct.unpack_from("<d", data, 32)
    (count,) = struct.unpack_from("<Q", data, 40)
    channels, height, width, label_count = struct.unpack_from("<IIII", data, 48)
    (payload_bytes,) = struct.unpack_from("<Q", data, 64)
    image_bytes = channels * height * width
    if payload_bytes != count * (image_bytes + label_count) or len(data) != CACHE_HEADER_BYTES + payload_bytes:
        raise FormatError(f"{path}: {len(data)} bytes do not hold {count} images of {channels}x{height}x{width} "
                          f"and {label_count} labels each after the header (payload {payload_bytes} bytes)")
    payload = np.frombuffer(data, dtype=np.uint8, offset=CACHE_HEADER_BYTES)
    images = payload[:count * image_bytes].reshape(count, channels, height, width)
    labels = payload[count * image_bytes:].reshape(count, label_count)
    header = {"crop_mode": crop_mode, "halving": halving, "split": split, "size": size, "fraction": fraction,
              "count": count, "shape": (channels, height, width), "label_count": label_count}
    return images, labels, header


def pixel_values(low, high, dtype):
    """The tensor value of each pixel level 0..255 as libnn's loader maps it
    (nn/pixel_range.hpp): low + (high - low) * (p / 255), in double, then cast."""
    levels = torch.arange(256, dtype=torch.float64)
    return (low + (high - low) * (levels / 255.0)).to(dtype)


def pixel_levels(values, low, high):
    """The nearest pixel level of each value, clamped, as libnn writes images."""
    level = (values.double() - low) / (high - low) * 255.0
    return torch.where(level > 0, torch.floor(level.clamp(max=255.0) + 0.5), torch.zeros_like(level)).to(torch.uint8)


def write_safetensors(path, tensors, metadata):
    """Writes `tensors` (name -> CPU tensor) and `metadata` (str -> str) in the
    safetensors layout libnn writes: the metadata first, then the names sorted,
    their data back to back in that order, the header padded with spaces to a multiple of 8 bytes; atomically
    (a temporary file renamed over `path`)."""
    names = {v: k for k, v in SAFETENSORS_DTYPES.items()}
    header, blobs, offset = {"__metadata__": dict(metadata)} if metadata else {}, [], 0
    for name in sorted(tensors):
        t = tensors[name].detach().cpu().contiguous()
        blob = t.numpy().tobytes()
        header[name] = {"dtype": names[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-(8 + len(text)) % 8)
    temporary = f"{path}.tmp.{os.getpid()}"
    with open(temporary, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)
    os.replace(temporary, path)


def read_safetensors(path):
    """(name -> CPU tensor, metadata) of a safetensors file."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise FormatError(f"{path}: truncated ({len(data)} bytes)")
    (length,) = struct.unpack_from("<Q", data, 0)
    if 8 + length > len(data):
        raise FormatError(f"{path}: header of {length} bytes in a file of {len(data)}")
    header = json.loads(data[8:8 + length])
    metadata = header.pop("__metadata__", {})
    start = 8 + length
    tensors = {}
    for name, entry in header.items():
        if entry["dtype"] not in SAFETENSORS_DTYPES:
            raise FormatError(f"{path}: tensor '{name}' has dtype {entry['dtype']}, which this reader does not know")
        begin, end = entry["data_offsets"]
        raw = bytearray(data[start + begin:start + end])
        t = torch.frombuffer(raw, dtype=SAFETENSORS_DTYPES[entry["dtype"]]) if raw else \
            torch.empty(0, dtype=SAFETENSORS_DTYPES[entry["dtype"]])
        tensors[name] = t.reshape(entry["shape"])
    return tensors, metadata
