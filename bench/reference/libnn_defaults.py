"""PyTorch set up the way libnn runs by default, so timings compare like with
like: the given CPU thread count, deterministic cuDNN algorithms found once
per shape, exact FP32 (no TF32)."""
import torch


def match_libnn(threads):
    if threads:
        torch.set_num_threads(threads)
    torch.backends.cudnn.benchmark = True
    torch.backends.cudnn.deterministic = True
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    torch.manual_seed(1)
