#!/usr/bin/python3
# PyTorch peer of `npm run bench:large` (tools/bench/large.bench.ts): the same hook points extracted the way
# ViT-Prisma / TransformerLens users do it — PyTorch forward hooks on the HF-style CLIP modules of
# libs/model-zoo/scripts/hf-clip-fixture.py, loaded with the SAME weights (weights.pt, the state_dict written by
# `hf-clip-fixture.py --vit-b-32 --save-weights`), each hook copying its activation to numpy:
#   - {tower}.blocks.{l}.mlp.hook_post: output of layers.{l}.mlp.activation_fn (after quick_gelu),
#   - {tower}.blocks.{l}.attn.hook_pattern: the Softmax output as [batch, heads, T, T] (a HookPoint module, as
#     TransformerLens / ViT-Prisma put one around the attention probabilities).
# torch.set_num_threads(--threads), torch.inference_mode(), batches of --batch. Inputs: the bench's PNG images
# (CLIPImageProcessor maths: at 224 px only rescale + normalize) and its token ids (ids.bin: int32, n × 77,
# tokenized by the bench with the model's tokenizer.json). With --pad longest (the default) each text batch is cut
# to its longest row, <eos> included, as TransformerLens' to_tokens and CLIPProcessor(padding=True) pad; --pad max
# runs all 77 positions, as OpenAI's clip.tokenize pads. Preprocessing is done before the clock starts (the
# mmatlas figure includes decoding and tokenizing, so this favours the peer).
# --rounds / --text-rounds R: R timed passes over the images / texts after the warm-up batch, the median reported.
# Prints one JSON line: images/s, texts/s and examples/s over the given mix (examples / total forward seconds).
# Usage: /usr/bin/python3 tools/bench/large_peer.py --model DIR --images DIR --ids FILE --texts N --batch B --threads T
import argparse, importlib.util, json, os, statistics, sys, time
import numpy as np
import torch
from torch import nn
from PIL import Image

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "..", "libs", "model-zoo", "scripts", "hf-clip-fixture.py")


def load_fixture_module():
    """hf-clip-fixture.py's modules at ViT-B/32 geometry (it reads its geometry flag from sys.argv at import)."""
    argv = sys.argv
    sys.argv = [FIXTURE, "--vit-b-32"]
    try:
        spec = importlib.util.spec_from_file_location("hf_clip_fixture", FIXTURE)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        return mod
    finally:
        sys.argv = argv


class HookPoint(nn.Module):  # TransformerLens' HookPoint: an identity module to hang forward hooks on
    def forward(self, x):
        return x


def attention_forward(self, x, causal_mask=None):
    """hf-clip-fixture's CLIPAttention maths (HF eager attention) with a HookPoint on the probabilities."""
    b, t, _ = x.size()
    q = self._shape(self.q_proj(x) * self.scale, t, b).view(b * self.h, t, self.hd)
    k = self._shape(self.k_proj(x), t, b).view(b * self.h, t, self.hd)
    v = self._shape(self.v_proj(x), t, b).view(b * self.h, t, self.hd)
    w = torch.bmm(q, k.transpose(1, 2))
    if causal_mask is not None:
        w = (w.view(b, self.h, t, t) + causal_mask).view(b * self.h, t, t)
    p = nn.functional.softmax(w, dim=-1)
    self.hook_pattern(p.view(b, self.h, t, t))
    o = torch.bmm(p, v).view(b, self.h, t, self.hd).transpose(1, 2).reshape(b, t, self.d)
    return self.out_proj(o)


def blas_library():
    """The BLAS library this process loaded (Debian's torch uses the system libblas.so.3: reference or OpenBLAS)."""
    with open("/proc/self/maps") as f:
        libs = {line.split()[-1] for line in f if "blas" in line.lower()}
    return ", ".join(sorted(libs)) or "unknown"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--images", required=True, help="folder of 224 px PNGs (sorted order)")
    ap.add_argument("--image-count", type=int, required=True)
    ap.add_argument("--ids", required=True, help="int32 token ids, n × 77")
    ap.add_argument("--texts", type=int, required=True)
    ap.add_argument("--batch", type=int, required=True)
    ap.add_argument("--pad", choices=["longest", "max"], default="longest", help="text batches: cut to the longest row, or all 77")
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--rounds", type=int, default=1, help="timed passes over the images; the median is reported")
    ap.add_argument("--text-rounds", type=int, default=1, help="timed passes over the texts; the median is reported")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    fx = load_fixture_module()
    fx.CLIPAttention.forward = attention_forward
    model = fx.CLIPModel().eval()
    for tower in (model.vision_model, model.text_model):
        for layer in tower.encoder.layers:
            layer.self_attn.hook_pattern = HookPoint()
    model.load_state_dict(torch.load(os.path.join(a.model, "weights.pt")))
    vision, text = fx.VisionWithProjection(model).eval(), fx.TextWithProjection(model).eval()

    cache = {}
    def keep(name):
        def hook(_mod, _inp, out):
            cache[name] = out.detach().cpu().numpy().copy()  # the activations, copied out to numpy
        return hook
    hooks = []
    for tag, tower in (("vision", model.vision_model), ("text", model.text_model)):
        for l, layer in enumerate(tower.encoder.layers):
            hooks.append(layer.mlp.activation_fn.register_forward_hook(keep(f"{tag}.blocks.{l}.mlp.hook_post")))
            hooks.append(layer.self_attn.hook_pattern.register_forward_hook(keep(f"{tag}.blocks.{l}.attn.hook_pattern")))

    files = sorted(f for f in os.listdir(a.images) if f.endswith(".png"))[: a.image_count]
    S = fx.VISION["image_size"]
    mean, std = np.array(fx.MEAN, np.float32), np.array(fx.STD, np.float32)
    def pixels(f):
        img = Image.open(os.path.join(a.images, f)).convert("RGB")
        if img.size != (S, S):
            raise SystemExit(f"{f}: expected {S}×{S}")
        return ((np.asarray(img, np.float32) * np.float32(1 / 255) - mean) / std).transpose(2, 0, 1)
    px = torch.tensor(np.stack([pixels(f) for f in files]))
    ids = torch.tensor(np.fromfile(a.ids, dtype=np.int32).reshape(-1, fx.TEXT["max_position_embeddings"])[: a.texts].astype(np.int64))

    def longest(batch):  # a text batch cut after its longest row's <eos> (argmax of the ids: <eos> has the top id)
        return batch[:, : int(batch.argmax(dim=1).max()) + 1] if a.pad == "longest" else batch

    def run(fn, data, rounds, cut=lambda b: b):
        """median seconds of `rounds` timed passes over data (after one warm-up batch), and every pass's seconds"""
        n = data.shape[0]
        times = []
        with torch.inference_mode():
            fn(cut(data[: min(a.batch, n)]))  # warm-up
            for _ in range(max(1, rounds)):
                t0 = time.perf_counter()
                for s in range(0, n, a.batch):
                    cache.clear()
                    fn(cut(data[s : s + a.batch]))
                times.append(time.perf_counter() - t0)
        return statistics.median(times), times
    t_img, img_rounds = run(vision, px, a.rounds) if len(files) else (0.0, [])
    hooked = len(cache)
    t_txt, txt_rounds = run(text, ids, a.text_rounds, longest) if a.texts else (0.0, [])
    n = len(files) + ids.shape[0]
    print(json.dumps({
        "images": len(files), "texts": int(ids.shape[0]), "batch": a.batch, "threads": torch.get_num_threads(), "torch": torch.__version__,
        "hooksPerTower": hooked, "textPadding": a.pad, "blas": blas_library(), "imagesPerSecond": len(files) / t_img if t_img else None, "textsPerSecond": ids.shape[0] / t_txt if t_txt else None,
        "examplesPerSecond": n / (t_img + t_txt), "seconds": t_img + t_txt,
        "imageRoundSeconds": img_rounds, "textRoundSeconds": txt_rounds,
    }))


if __name__ == "__main__":
    main()
