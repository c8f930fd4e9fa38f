"""PyTorch set up the way libnn runs, so timings compare like with like: the
given CPU thread count, exact FP32 (no TF32), and cuDNN algorithms chosen as
libnn chooses them: by default deterministic ones from cuDNN's heuristics
(libnn's default), with fastest=True the fastest of all, timed once per shape
(libnn after nn::set_deterministic(false))."""
import torch


def match_libnn(threads, fastest=False):
    if threads:
        torch.set_num_threads(threads)
    torch.backends.cudnn.benchmark = fastest
    torch.backends.cudnn.deterministic = not fastest
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    torch.manual_seed(1)
