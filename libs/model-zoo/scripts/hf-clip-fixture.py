#!/usr/bin/python3
# Generates the tiny Hugging Face CLIP export used by the `import model <hf-folder>` tests
# (libs/porting/test/fixtures/hf-clip-tiny), independently of mmatlas' TypeScript code:
#   - a tiny CLIP in plain PyTorch with Hugging Face's module paths and eager-attention maths (heads folded into
#     the batch around the Softmax, causal mask in the text tower, text pooled at argmax(input_ids)),
#   - torch.onnx.export of each tower as Optimum lays it out (onnx/vision_model.onnx: pixel_values → image_embeds,
#     onnx/text_model.onnx: input_ids → text_embeds; batch and text sequence axes free, as Optimum exports them), config.json (CLIPConfig) and preprocessor_config.json, and the
#     joint CLIPModel graph (joint/onnx/model.onnx: input_ids, pixel_values, attention_mask → normalized embeddings,
#     logits) with the same weights,
#   - reference.safetensors: input pixels/ids and, from PyTorch forward hooks, every layer's residual stream,
#     MLP activation and attention probabilities ([batch, heads, T, T]) plus the embeddings,
#   - reference-weights.safetensors: the weights in TransformerLens names and layouts, mapped here from the PyTorch
#     modules (W_Q/W_K/W_V [H, d, dh], W_O [H, dh, d], W_in [d, m], proj [d, e], patch W_E rows in (py, px, c) order),
#     for the weight extraction of `import model` (libs/porting/src/hf-clip/extract-weights.ts) to be checked against,
#   - reference-images/*.png and reference_pixels: CLIPImageProcessor's maths done with PIL (shortest-edge bicubic
#     resize, center crop, rescale, normalize) for non-square RGB, grey, RGBA and upscaled images.
# The tokenizer files are not written (2.3 MB): the tests copy the real CLIP files from
# libs/inference/test/fixtures/clip-tokenizer next to the fixture. The reference ids below were computed by
# transformers.js on those files (libs/inference/test/hf-tokenizer.test.ts).
# Run: /usr/bin/python3 libs/model-zoo/scripts/hf-clip-fixture.py [out-dir] [--vit-b-32]  (Debian python3-torch 1.13,
# python3-pil). --vit-b-32: the same at real CLIP ViT-B/32 geometry (224 px, patch 32, 12×768, MLP 3072; text 12×512),
# ≈600 MB, for a size check of the import (never committed). --vit-l-14: real CLIP ViT-L/14 geometry (224 px, patch 14,
# 24×1024, 16 heads, MLP 4096; text 12×768, 12 heads, MLP 3072), ≈1.7 GB, for the build's memory plan at size.
# Bench flags (npm run bench:large, tools/bench/large.bench.ts): --no-reference skips the reference images, tensors
# and reference.json; --save-weights also writes weights.pt (the CLIPModel state_dict) for the PyTorch peer
# (tools/bench/large_peer.py), which loads it into these same modules.
import json, math, os, struct, sys, zlib
import numpy as np
import torch
from torch import nn
from PIL import Image

ARGS = [a for a in sys.argv[1:] if not a.startswith("--")]
VIT_L_14 = "--vit-l-14" in sys.argv  # real CLIP ViT-L/14 geometry (≈1.7 GB, never committed): the memory plan at size
VIT_B_32 = "--vit-b-32" in sys.argv or VIT_L_14  # real CLIP ViT-B/32 geometry (≈600 MB, never committed): a size check
NO_REFERENCE = "--no-reference" in sys.argv  # bench: no reference images/tensors
SAVE_WEIGHTS = "--save-weights" in sys.argv  # bench: weights.pt (state_dict) for the PyTorch peer
OUT = ARGS[0] if ARGS else os.path.join(os.path.dirname(__file__), "..", "..", "porting", "test", "fixtures", "hf-clip-tiny")
torch.manual_seed(16)
np.random.seed(16)

VISION = dict(hidden_size=32, intermediate_size=64, num_attention_heads=4, num_hidden_layers=2, image_size=32, patch_size=8, num_channels=3, hidden_act="quick_gelu", layer_norm_eps=1e-5)
TEXT = dict(hidden_size=8, intermediate_size=24, num_attention_heads=2, num_hidden_layers=2, vocab_size=49408, max_position_embeddings=77, hidden_act="quick_gelu", layer_norm_eps=1e-5, bos_token_id=49406, eos_token_id=49407, pad_token_id=1)
PROJ = 24
if VIT_B_32:
    VISION.update(hidden_size=768, intermediate_size=3072, num_attention_heads=12, num_hidden_layers=12, image_size=224, patch_size=32)
    TEXT.update(hidden_size=512, intermediate_size=2048, num_attention_heads=8, num_hidden_layers=12)
    PROJ = 512
if VIT_L_14:
    VISION.update(hidden_size=1024, intermediate_size=4096, num_attention_heads=16, num_hidden_layers=24, patch_size=14)
    TEXT.update(hidden_size=768, intermediate_size=3072, num_attention_heads=12)
    PROJ = 768
MEAN = [0.48145466, 0.4578275, 0.40821073]
STD = [0.26862954, 0.26130258, 0.27577711]

CAPTURE = {}  # reference activations, filled by forward hooks


class QuickGELUActivation(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class CLIPAttention(nn.Module):
    def __init__(self, c, tag):
        super().__init__()
        self.tag, self.d, self.h = tag, c["hidden_size"], c["num_attention_heads"]
        self.hd = self.d // self.h
        self.scale = self.hd ** -0.5
        self.k_proj, self.v_proj, self.q_proj, self.out_proj = (nn.Linear(self.d, self.d) for _ in range(4))

    def _shape(self, x, t, b):
        return x.view(b, t, self.h, self.hd).transpose(1, 2).contiguous()

    def forward(self, x, causal_mask=None):
        b, t, _ = x.size()
        q = self._shape(self.q_proj(x) * self.scale, t, b).view(b * self.h, t, self.hd)
        k = self._shape(self.k_proj(x), t, b).view(b * self.h, t, self.hd)
        v = self._shape(self.v_proj(x), t, b).view(b * self.h, t, self.hd)
        w = torch.bmm(q, k.transpose(1, 2))
        if causal_mask is not None:
            w = (w.view(b, self.h, t, t) + causal_mask).view(b * self.h, t, t)
        p = nn.functional.softmax(w, dim=-1)  # heads folded into the batch, as HF's eager CLIPAttention
        if not torch.onnx.is_in_onnx_export():
            CAPTURE[self.tag] = p.view(b, self.h, t, t).detach().clone()
        o = torch.bmm(p, v).view(b, self.h, t, self.hd).transpose(1, 2).reshape(b, t, self.d)
        return self.out_proj(o)


class CLIPMLP(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.activation_fn = QuickGELUActivation()
        self.fc1 = nn.Linear(c["hidden_size"], c["intermediate_size"])
        self.fc2 = nn.Linear(c["intermediate_size"], c["hidden_size"])

    def forward(self, x):
        return self.fc2(self.activation_fn(self.fc1(x)))


class CLIPEncoderLayer(nn.Module):
    def __init__(self, c, tag):
        super().__init__()
        self.self_attn = CLIPAttention(c, tag)
        self.layer_norm1 = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])
        self.mlp = CLIPMLP(c)
        self.layer_norm2 = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])

    def forward(self, x, causal_mask=None):
        x = x + self.self_attn(self.layer_norm1(x), causal_mask)
        return x + self.mlp(self.layer_norm2(x))


class CLIPEncoder(nn.Module):
    def __init__(self, c, tower):
        super().__init__()
        self.layers = nn.ModuleList([CLIPEncoderLayer(c, f"{tower}.blocks.{l}.attn.hook_pattern") for l in range(c["num_hidden_layers"])])

    def forward(self, x, causal_mask=None):
        for layer in self.layers:
            x = layer(x, causal_mask)
        return x


class CLIPVisionEmbeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        d, p = c["hidden_size"], c["patch_size"]
        self.class_embedding = nn.Parameter(torch.randn(d))
        self.patch_embedding = nn.Conv2d(c["num_channels"], d, kernel_size=p, stride=p, bias=False)
        self.num_positions = (c["image_size"] // p) ** 2 + 1
        self.position_embedding = nn.Embedding(self.num_positions, d)
        self.register_buffer("position_ids", torch.arange(self.num_positions).expand((1, -1)), persistent=False)

    def forward(self, pixel_values):
        b = pixel_values.shape[0]
        patches = self.patch_embedding(pixel_values).flatten(2).transpose(1, 2)
        cls = self.class_embedding.expand(b, 1, -1)
        return torch.cat([cls, patches], dim=1) + self.position_embedding(self.position_ids)


class CLIPVisionTransformer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embeddings = CLIPVisionEmbeddings(c)
        self.pre_layrnorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])  # sic, HF's spelling
        self.encoder = CLIPEncoder(c, "vision")
        self.post_layernorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])

    def forward(self, pixel_values):
        h = self.encoder(self.pre_layrnorm(self.embeddings(pixel_values)))
        return h, self.post_layernorm(h[:, 0, :])


class CLIPTextEmbeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.token_embedding = nn.Embedding(c["vocab_size"], c["hidden_size"])
        self.position_embedding = nn.Embedding(c["max_position_embeddings"], c["hidden_size"])
        self.register_buffer("position_ids", torch.arange(c["max_position_embeddings"]).expand((1, -1)), persistent=False)

    def forward(self, input_ids):
        t = input_ids.shape[-1]
        return self.token_embedding(input_ids) + self.position_embedding(self.position_ids[:, :t])


class CLIPTextTransformer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embeddings = CLIPTextEmbeddings(c)
        self.encoder = CLIPEncoder(c, "text")
        self.final_layer_norm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])

    def forward(self, input_ids, attention_mask=None):
        b, t = input_ids.shape
        mask = torch.full((t, t), torch.finfo(torch.float32).min).triu(1)[None, None, :, :]
        if attention_mask is not None:  # HF _prepare_4d_attention_mask: padded keys get finfo.min too
            mask = mask + (1.0 - attention_mask[:, None, None, :].to(torch.float32)) * torch.finfo(torch.float32).min
        h = self.final_layer_norm(self.encoder(self.embeddings(input_ids), mask))
        pooled = h[torch.arange(b), input_ids.to(torch.int).argmax(dim=-1)]  # HF: pool at the eos (largest id)
        return h, pooled


class CLIPModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.vision_model = CLIPVisionTransformer(VISION)
        self.text_model = CLIPTextTransformer(TEXT)
        self.visual_projection = nn.Linear(VISION["hidden_size"], PROJ, bias=False)
        self.text_projection = nn.Linear(TEXT["hidden_size"], PROJ, bias=False)
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))


class VisionWithProjection(nn.Module):  # Optimum's vision_model.onnx: CLIPVisionModelWithProjection
    def __init__(self, m):
        super().__init__()
        self.vision_model, self.visual_projection = m.vision_model, m.visual_projection

    def forward(self, pixel_values):
        h, pooled = self.vision_model(pixel_values)
        return self.visual_projection(pooled), h


class TextWithProjection(nn.Module):  # Optimum's text_model.onnx: CLIPTextModelWithProjection
    def __init__(self, m):
        super().__init__()
        self.text_model, self.text_projection = m.text_model, m.text_projection

    def forward(self, input_ids):
        h, pooled = self.text_model(input_ids)
        return self.text_projection(pooled), h


class JointCLIP(nn.Module):  # Optimum's onnx/model.onnx of CLIPModel: normalized embeddings and logits
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, input_ids, pixel_values, attention_mask):
        image_embeds = self.m.visual_projection(self.m.vision_model(pixel_values)[1])
        text_embeds = self.m.text_projection(self.m.text_model(input_ids, attention_mask)[1])
        image_embeds = image_embeds / image_embeds.norm(p=2, dim=-1, keepdim=True)
        text_embeds = text_embeds / text_embeds.norm(p=2, dim=-1, keepdim=True)
        logits_per_text = self.m.logit_scale.exp() * text_embeds @ image_embeds.t()
        return logits_per_text.t(), logits_per_text, text_embeds, image_embeds


def init_weights(m):
    with torch.no_grad():
        for name, p in m.named_parameters():
            if name.endswith("logit_scale"):
                continue
            if "layer_norm" in name or "layrnorm" in name:
                p.copy_((1.0 if name.endswith("weight") else 0.0) + 0.1 * torch.randn_like(p))
            elif "embedding" in name:
                p.normal_(0, 0.5)
            elif p.dim() >= 2:
                p.normal_(0, 1.2 / math.sqrt(p.shape[-1] if p.dim() == 2 else p[0].numel()))
            else:
                p.normal_(0, 0.1)


def write_png(path, arr):
    """arr: H×W (grey), H×W×3 (RGB) or H×W×4 (RGBA) uint8 → PNG, written with zlib (no PIL involved)."""
    h, w = arr.shape[:2]
    color = 0 if arr.ndim == 2 else 6 if arr.shape[2] == 4 else 2  # grey, RGBA, RGB
    raw = b"".join(b"\x00" + arr[y].tobytes() for y in range(h))
    chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, color, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def test_image(h, w, channels):
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    planes = [127 + 120 * np.sin(x / (2 + c) + y / (3 + 2 * c) + c) for c in range(3)]
    rgb = np.stack(planes, -1)
    rgb[(x - w / 3) ** 2 + (y - h / 2) ** 2 < (min(h, w) / 4) ** 2] = [250, 20, 40]  # a sharp-edged disc
    rgb = np.clip(np.round(rgb), 0, 255).astype(np.uint8)
    if channels == 1:
        return rgb[..., 1].copy()
    if channels == 4:
        alpha = np.clip(255 * x / max(w - 1, 1), 0, 255).astype(np.uint8)[..., None]
        return np.concatenate([rgb, alpha], -1)
    return rgb


def clip_image_processor(path, shortest_edge, crop):
    """CLIPImageProcessor (transformers 4.x) maths with PIL: convert RGB, resize the shortest edge (bicubic),
    center crop, rescale 1/255, normalize. Returns 3×crop×crop float32."""
    img = Image.open(path).convert("RGB")  # RGBA: alpha dropped, grey: replicated
    w, h = img.size
    short, long = (w, h) if w <= h else (h, w)
    new_long = int(shortest_edge * long / short)
    nw, nh = (shortest_edge, new_long) if w <= h else (new_long, shortest_edge)
    img = img.resize((nw, nh), resample=Image.BICUBIC)
    top, left = (nh - crop) // 2, (nw - crop) // 2
    a = np.asarray(img, dtype=np.float32)[top:top + crop, left:left + crop] * np.float32(1 / 255)
    a = (a - np.array(MEAN, np.float32)) / np.array(STD, np.float32)
    return a.transpose(2, 0, 1).astype(np.float32)


def write_safetensors(path, tensors):
    header, blobs, at = {}, [], 0
    for name, t in tensors.items():
        a = np.ascontiguousarray(t.detach().numpy() if torch.is_tensor(t) else t)
        dtype = {np.dtype(np.float32): "F32", np.dtype(np.int64): "I64"}[a.dtype]
        b = a.tobytes()
        header[name] = {"dtype": dtype, "shape": list(a.shape), "data_offsets": [at, at + len(b)]}
        blobs.append(b)
        at += len(b)
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def tl_weights(model):
    """The weights in TransformerLens names/layouts, from the modules (torch Linear weights are [out, in])."""
    out = {}
    for tower, tm, c in (("vision", model.vision_model, VISION), ("text", model.text_model, TEXT)):
        d, h = c["hidden_size"], c["num_attention_heads"]
        dh = d // h
        for l, layer in enumerate(tm.encoder.layers):
            pre, a = f"{tower}.blocks.{l}", layer.self_attn
            out[f"{pre}.ln1.w"], out[f"{pre}.ln1.b"] = layer.layer_norm1.weight, layer.layer_norm1.bias
            for k, lin in (("Q", a.q_proj), ("K", a.k_proj), ("V", a.v_proj)):
                out[f"{pre}.attn.W_{k}"] = lin.weight.t().reshape(d, h, dh).permute(1, 0, 2)
                out[f"{pre}.attn.b_{k}"] = lin.bias.reshape(h, dh)
            out[f"{pre}.attn.W_O"] = a.out_proj.weight.t().reshape(h, dh, d)
            out[f"{pre}.attn.b_O"] = a.out_proj.bias
            out[f"{pre}.ln2.w"], out[f"{pre}.ln2.b"] = layer.layer_norm2.weight, layer.layer_norm2.bias
            out[f"{pre}.mlp.W_in"], out[f"{pre}.mlp.b_in"] = layer.mlp.fc1.weight.t(), layer.mlp.fc1.bias
            out[f"{pre}.mlp.W_out"], out[f"{pre}.mlp.b_out"] = layer.mlp.fc2.weight.t(), layer.mlp.fc2.bias
    vm, tm = model.vision_model, model.text_model
    out["vision.ln_pre.w"], out["vision.ln_pre.b"] = vm.pre_layrnorm.weight, vm.pre_layrnorm.bias
    out["vision.ln_final.w"], out["vision.ln_final.b"] = vm.post_layernorm.weight, vm.post_layernorm.bias
    out["vision.proj"] = model.visual_projection.weight.t()
    conv = vm.embeddings.patch_embedding.weight  # [d, C, p, p] → rows (py, px, c), as CLIP-shapes' W_E
    out["vision.embed.W_E"] = conv.permute(2, 3, 1, 0).reshape(-1, conv.shape[0])
    out["vision.cls_token"] = vm.embeddings.class_embedding
    out["vision.pos_embed.W_pos"] = vm.embeddings.position_embedding.weight
    out["text.ln_final.w"], out["text.ln_final.b"] = tm.final_layer_norm.weight, tm.final_layer_norm.bias
    out["text.proj"] = model.text_projection.weight.t()
    out["text.embed.W_E.rows0-255"] = tm.embeddings.token_embedding.weight[:256]  # the full table is 1.6 MB
    out["text.pos_embed.W_pos"] = tm.embeddings.position_embedding.weight
    return {k: v.detach().contiguous() for k, v in out.items()}


def main():
    os.makedirs(os.path.join(OUT, "onnx"), exist_ok=True)
    if not NO_REFERENCE:
        os.makedirs(os.path.join(OUT, "reference-images"), exist_ok=True)
    model = CLIPModel().eval()
    init_weights(model)
    vision, text = VisionWithProjection(model).eval(), TextWithProjection(model).eval()

    with torch.no_grad():
        example_px = torch.randn(1, 3, VISION["image_size"], VISION["image_size"])
        torch.onnx.export(vision, (example_px,), os.path.join(OUT, "onnx", "vision_model.onnx"), input_names=["pixel_values"],
                          output_names=["image_embeds", "last_hidden_state"], dynamic_axes={"pixel_values": {0: "batch_size"}, "image_embeds": {0: "batch_size"}, "last_hidden_state": {0: "batch_size"}},
                          opset_version=14, do_constant_folding=True)
        example_ids = torch.full((1, TEXT["max_position_embeddings"]), 49407, dtype=torch.int64)
        torch.onnx.export(text, (example_ids,), os.path.join(OUT, "onnx", "text_model.onnx"), input_names=["input_ids"],
                          output_names=["text_embeds", "last_hidden_state"], dynamic_axes={"input_ids": {0: "batch_size", 1: "sequence_length"}, "text_embeds": {0: "batch_size"}, "last_hidden_state": {0: "batch_size", 1: "sequence_length"}},
                          opset_version=14, do_constant_folding=True)
        if not VIT_B_32:  # the joint graph only for the committed fixture
            os.makedirs(os.path.join(OUT, "joint", "onnx"), exist_ok=True)
            torch.onnx.export(JointCLIP(model).eval(), (example_ids, example_px, torch.ones_like(example_ids)), os.path.join(OUT, "joint", "onnx", "model.onnx"),
                              input_names=["input_ids", "pixel_values", "attention_mask"], output_names=["logits_per_image", "logits_per_text", "text_embeds", "image_embeds"],
                              dynamic_axes={"input_ids": {0: "text_batch_size", 1: "sequence_length"}, "attention_mask": {0: "text_batch_size", 1: "sequence_length"}, "pixel_values": {0: "image_batch_size"},
                                            "logits_per_image": {0: "image_batch_size", 1: "text_batch_size"}, "logits_per_text": {0: "text_batch_size", 1: "image_batch_size"},
                                            "text_embeds": {0: "text_batch_size"}, "image_embeds": {0: "image_batch_size"}},
                              opset_version=14, do_constant_folding=True)

    config = {
        "_name_or_path": ("mmatlas/vit-l-14-size" if VIT_L_14 else "mmatlas/vit-b-32-bench") if VIT_B_32 else "mmatlas/tiny-clip-fixture", "architectures": ["CLIPModel"], "model_type": "clip",
        "initializer_factor": 1.0, "logit_scale_init_value": 2.6592, "projection_dim": PROJ, "torch_dtype": "float32",
        "text_config": {**TEXT, "model_type": "clip_text_model", "projection_dim": PROJ},
        "vision_config": {**VISION, "model_type": "clip_vision_model", "projection_dim": PROJ},
    }
    with open(os.path.join(OUT, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    S = VISION["image_size"]
    pre = {"crop_size": {"height": S, "width": S}, "do_center_crop": True, "do_convert_rgb": True, "do_normalize": True, "do_rescale": True,
           "do_resize": True, "image_mean": MEAN, "image_std": STD, "image_processor_type": "CLIPImageProcessor", "resample": 3,
           "rescale_factor": 1 / 255, "size": {"shortest_edge": S}}
    with open(os.path.join(OUT, "preprocessor_config.json"), "w") as f:
        json.dump(pre, f, indent=2)
    if SAVE_WEIGHTS:
        torch.save(model.state_dict(), os.path.join(OUT, "weights.pt"))
    if NO_REFERENCE:
        print("wrote", OUT, "(no reference tensors)")
        return

    # images: non-square RGB (downscaled), portrait grey, RGBA, and one smaller than the input (upscaled)
    images = [("wide-rgb.png", test_image(37, 45, 3)), ("tall-grey.png", test_image(50, 40, 1)), ("square-rgba.png", test_image(33, 33, 4)), ("small-rgb.png", test_image(20, 26, 3))]
    for name, arr in images:
        write_png(os.path.join(OUT, "reference-images", name), arr)
    pixels = torch.tensor(np.stack([clip_image_processor(os.path.join(OUT, "reference-images", n), S, S) for n, _ in images]))

    texts = [("a photo of a red circle", [49406, 320, 1125, 539, 320, 736, 7117, 49407]),
             ("it's a drawing of 2 shapes 🙂", [49406, 585, 568, 320, 3610, 539, 273, 15377, 14860, 49407])]
    ids = torch.full((len(texts), TEXT["max_position_embeddings"]), 49407, dtype=torch.int64)
    for r, (_, toks) in enumerate(texts):
        ids[r, :len(toks)] = torch.tensor(toks)

    ref = {"pixel_values": pixels, "input_ids": ids}
    hooks = []
    for tower, tm in (("vision", model.vision_model), ("text", model.text_model)):
        for l, layer in enumerate(tm.encoder.layers):
            hooks.append(layer.register_forward_hook(lambda mod, i, o, k=f"{tower}.blocks.{l}.hook_resid_post": CAPTURE.__setitem__(k, o.detach().clone())))
            hooks.append(layer.mlp.activation_fn.register_forward_hook(lambda mod, i, o, k=f"{tower}.blocks.{l}.mlp.hook_post": CAPTURE.__setitem__(k, o.detach().clone())))
    with torch.no_grad():
        ref["image_embeds"] = vision(pixels)[0]
        ref["text_embeds"] = text(ids)[0]
    for h in hooks:
        h.remove()
    ref.update(CAPTURE)
    write_safetensors(os.path.join(OUT, "reference.safetensors"), ref)
    write_safetensors(os.path.join(OUT, "reference-weights.safetensors"), tl_weights(model))
    with open(os.path.join(OUT, "reference.json"), "w") as f:
        json.dump({"images": [n for n, _ in images], "texts": [t for t, _ in texts], "logitScale": float(model.logit_scale.exp())}, f, indent=2, ensure_ascii=False)
    print("wrote", OUT, sorted(ref.keys()))


if __name__ == "__main__":
    main()
