#!/usr/bin/env python3
"""PyTorch-CPU reference for `npm run bench -- --compare-torch` (src/cli/compareTorch.ts).

Replays the exact work the wasm side did, round by round, on the same checkpoint: the same prompts
decoded for the same number of steps with a KV cache (the wasm-sampled tokens are fed back, so both
sides run identical shapes), old and reference log-probs of every row, then mu clipped-surrogate
updates with the same loss, global-norm clipping and Adam. One thread (torch.set_num_threads(1)).
Reads JSON lines on stdin (the loss settings, then one round per line) and answers each round at once
with one JSON line: its phase times and every update's loss and grad norm (the first update's show that
both sides computed the same thing). The first line out names the torch version, threads and BLAS.

With --device cuda the same work runs on the GPU (PyTorch-CUDA, eager): every phase ends in a readback
(the sampled token per step, the scores, the loss and grad norm), so its wall clock includes the GPU work.

Usage: torch_ref.py CHECKPOINT_DIR [--device cpu|cuda] < workload
"""
import json
import math
import os
import sys
import time

import torch
import torch.nn.functional as F

NEG = -1e9  # the model's finite mask value (src/core/model.ts)
PAD_ID = 0
DEV = torch.device("cpu")  # set by --device


def load_checkpoint(dir_):
    with open(os.path.join(dir_, "model.json")) as f:
        meta = json.load(f)
    cfg = meta["modelTopology"]["gpt"]
    raw = open(os.path.join(dir_, meta["weightsManifest"][0]["paths"][0]), "rb").read()
    flat = torch.frombuffer(bytearray(raw), dtype=torch.float32)
    weights, off = {}, 0
    for spec in meta["weightsManifest"][0]["weights"]:
        n = math.prod(spec["shape"])
        weights[spec["name"]] = flat[off : off + n].clone().reshape(spec["shape"]).to(DEV)
        off += n
    return cfg, weights


class GPT:
    """The tfjs model (pre-LN, rotary half-split, tied embeddings, tanh GELU), weights as [in, out]."""

    def __init__(self, cfg, weights, trainable):
        self.cfg = cfg
        self.w = {k: v.clone().requires_grad_(trainable) for k, v in weights.items()}
        dh = cfg["dModel"] // cfg["nHead"]
        inv = torch.pow(torch.tensor(10000.0, device=DEV), torch.arange(0, dh // 2, dtype=torch.float32, device=DEV) / (-dh / 2))
        ang = torch.outer(torch.arange(cfg["maxLen"], dtype=torch.float32, device=DEV), inv)
        self.cos, self.sin = torch.cos(ang), torch.sin(ang)  # [maxLen, dh/2]

    def params(self):
        return list(self.w.values())

    def forward(self, tokens, key_mask, start=0, past=None):
        """tokens [N, S] long, key_mask [N, start+S] float -> logits [N, S, V], cache [(k, v)] each [N, H, T, dh]."""
        N, S = tokens.shape
        C, H, L = self.cfg["dModel"], self.cfg["nHead"], self.cfg["nLayer"]
        dh = C // H
        total = start + S
        q_pos = torch.arange(start, total, device=DEV).reshape(S, 1)
        k_pos = torch.arange(0, total, device=DEV).reshape(1, total)
        causal = torch.where(k_pos <= q_pos, 0.0, NEG)  # [S, total]
        bias = causal.reshape(1, 1, S, total) + ((1 - key_mask) * NEG).reshape(N, 1, 1, total)
        cos, sin = self.cos[start:total], self.sin[start:total]
        w = self.w
        x = F.embedding(tokens, w["tok_emb"])  # [N, S, C]
        cache = []
        for l in range(L):
            h = F.layer_norm(x, (C,), w[f"h{l}.ln1.g"], w[f"h{l}.ln1.b"], 1e-5)
            qkv = h @ w[f"h{l}.attn.wqkv"]  # [N, S, 3C]
            qh, kh, vh = (t.reshape(N, S, H, dh).transpose(1, 2) for t in qkv.split(C, -1))  # [N, H, S, dh]
            qh, kh = rope(qh, cos, sin), rope(kh, cos, sin)
            if past is not None:
                kh = torch.cat([past[l][0], kh], 2)
                vh = torch.cat([past[l][1], vh], 2)
            cache.append((kh, vh))
            att = torch.softmax((qh @ kh.transpose(-1, -2)) / math.sqrt(dh) + bias, -1)  # [N, H, S, total]
            y = (att @ vh).transpose(1, 2).reshape(N, S, C)
            x = x + y @ w[f"h{l}.attn.wo"]
            h2 = F.layer_norm(x, (C,), w[f"h{l}.ln2.g"], w[f"h{l}.ln2.b"], 1e-5)
            x = x + F.gelu(h2 @ w[f"h{l}.mlp.w1"] + w[f"h{l}.mlp.b1"], approximate="tanh") @ w[f"h{l}.mlp.w2"] + w[f"h{l}.mlp.b2"]
        xf = F.layer_norm(x, (C,), w["lnf.g"], w["lnf.b"], 1e-5)
        return xf @ w["tok_emb"].t(), cache


def rope(x, cos, sin):
    x1, x2 = x.chunk(2, -1)
    return torch.cat([x1 * cos - x2 * sin, x1 * sin + x2 * cos], -1)


def pack(prompts, conts):
    """src/core/model.ts packBatch: prefixes left-padded to P, continuations right-padded to L."""
    n, P = len(prompts), max(len(p) for p in prompts)
    L = max(1, max(len(c) for c in conts))
    width = P + L - 1
    inputs = torch.full((n, width), PAD_ID, dtype=torch.long)
    key_mask = torch.zeros(n, width)
    targets = torch.full((n, L), PAD_ID, dtype=torch.long)
    cont_mask = torch.zeros(n, L)
    for i, (p, c) in enumerate(zip(prompts, conts)):
        row = (p + c)[: width - (P - len(p))]
        inputs[i, P - len(p) : P - len(p) + len(row)] = torch.tensor(row)
        key_mask[i, P - len(p) : P - len(p) + len(row)] = 1
        targets[i, : len(c)] = torch.tensor(c)
        cont_mask[i, : len(c)] = 1
    return inputs.to(DEV), key_mask.to(DEV), targets.to(DEV), cont_mask.to(DEV), P


def cont_logits(model, inputs, key_mask, P, L):
    logits, _ = model.forward(inputs, key_mask)
    return logits[:, P - 1 : P - 1 + L]  # position P-1+j predicts continuation token j


def generate(model, prompts, responses, steps, temperature, gen):
    """KV-cached decoding of `steps` tokens per row, feeding back the tokens the wasm side sampled."""
    n, P = len(prompts), max(len(p) for p in prompts)
    width = P + steps
    ids = torch.full((n, width), PAD_ID, dtype=torch.long)
    mask = torch.zeros(n, width)
    for i, (p, r) in enumerate(zip(prompts, responses)):
        ids[i, P - len(p) : P] = torch.tensor(p)
        mask[i, P - len(p) : P] = 1
        k = min(len(r), steps)
        ids[i, P : P + k] = torch.tensor(r[:k])
        mask[i, P : P + k] = 1
    ids, mask = ids.to(DEV), mask.to(DEV)
    cache = None
    with torch.inference_mode():
        for t in range(steps):
            end = P + t
            start = end - 1 if cache is not None else 0
            logits, cache = model.forward(ids[:, start:end], mask[:, :end], start, cache)
            probs = torch.softmax(logits[:, -1] / temperature, -1)
            torch.multinomial(probs, 1, generator=gen).cpu().numpy()  # sampling + the per-token readback


def score(model, prompts, conts):
    inputs, key_mask, targets, cont_mask, P = pack(prompts, conts)
    with torch.inference_mode():
        logp = torch.log_softmax(cont_logits(model, inputs, key_mask, P, targets.shape[1]), -1)
        return logp.gather(-1, targets.unsqueeze(-1)).squeeze(-1).cpu().numpy().copy()  # [n, L]


def update(model, opt, batch, c):
    """src/core/rl/loss.ts update(): token-mean clipped surrogate + beta * k3, global-norm clip, Adam."""
    inputs, key_mask, targets, mask, P, old, ref, adv = batch
    logits = cont_logits(model, inputs, key_mask, P, targets.shape[1])
    logp_all = torch.log_softmax(logits, -1)
    on = mask > 0
    logp_new = torch.where(on, logp_all.gather(-1, targets.unsqueeze(-1)).squeeze(-1), 0.0)
    ratio = torch.exp(logp_new - torch.where(on, old, 0.0))
    A = adv.reshape(-1, 1)
    surr = torch.minimum(ratio * A, torch.clamp(ratio, 1 - c["epsLow"], 1 + c["epsHigh"]) * A)
    x = torch.where(on, ref, 0.0) - logp_new
    k3 = torch.exp(x) - x - 1
    tokens = torch.clamp(mask.sum(), min=1)
    loss = ((-surr + c["beta"] * k3) * mask).sum() / tokens
    opt.zero_grad(set_to_none=True)
    loss.backward()
    with torch.no_grad():  # the diagnostics tfjs computes alongside (clip fractions, entropy)
        low = ((ratio < 1 - c["epsLow"]) & (A < 0)).float() * mask
        high = ((ratio > 1 + c["epsHigh"]) & (A > 0)).float() * mask
        entropy = (-(logp_all.exp() * logp_all).sum(-1) * mask).sum() / tokens
        stats = torch.stack([low.sum() / tokens, high.sum() / tokens, (k3 * mask).sum() / tokens, entropy])
        norm = torch.sqrt(sum((p.grad * p.grad).sum() for p in model.params()))
        loss_v, norm_v = loss.item(), norm.item()
        stats.cpu().numpy()
        scale = min(1.0, c["maxGradNorm"] / (norm_v + 1e-6)) if c["maxGradNorm"] > 0 else 1.0
        for p in model.params():
            p.grad.mul_(scale)
    opt.step()
    logp_new.detach().cpu().numpy()  # tfjs reads the new log-probs back for the record
    return loss_v, norm_v


def run_round(policy, ref_model, opt, r, c, gen):
    prompts, responses = r["prompts"], r["responses"]
    now = lambda: (time.perf_counter(), time.process_time())  # wall clock, and this process's CPU time
    t0 = now()
    generate(policy, prompts, responses, r["decodeSteps"], c["temperature"], gen)
    t1 = now()
    old = score(policy, prompts, responses)
    ref = score(ref_model, prompts, responses) if c["beta"] > 0 else old * 0
    t2 = now()
    inputs, key_mask, targets, mask, P = pack(prompts, responses)
    batch = (inputs, key_mask, targets, mask, P, torch.from_numpy(old).to(DEV), torch.from_numpy(ref).to(DEV), torch.tensor(r["advantages"], dtype=torch.float32, device=DEV))
    results = [update(policy, opt, batch, c) for _ in range(c["mu"])]
    t3 = now()
    ms = lambda a, b, i=0: 1000 * (b[i] - a[i])
    return {
        "genMs": ms(t0, t1),
        "scoreMs": ms(t1, t2),
        "updateMs": ms(t2, t3),
        "stepMs": ms(t0, t3),
        "genCpuMs": ms(t0, t1, 1),
        "scoreCpuMs": ms(t1, t2, 1),
        "updateCpuMs": ms(t2, t3, 1),
        "stepCpuMs": ms(t0, t3, 1),
        "tokens": r["generated"],
        "loss": [x[0] for x in results],
        "gradNorm": [x[1] for x in results],
    }


def blas_library():
    """Which BLAS this process loaded (Debian's python3-torch uses the system libblas.so.3 alternative)."""
    try:
        with open("/proc/self/maps") as f:
            libs = {line.split()[-1] for line in f if "blas" in line.lower()}
        return ", ".join(sorted({os.path.basename(l) for l in libs if "lapack" not in l})) or "unknown"
    except OSError:
        return "unknown"


def main():
    global DEV
    args = sys.argv[1:]
    if len(args) == 3 and args[1] == "--device" and args[2] in ("cpu", "cuda"):
        DEV = torch.device(args[2])
        args = args[:1]
    if len(args) != 1:
        print("usage: torch_ref.py CHECKPOINT_DIR [--device cpu|cuda] < workload (JSON lines: config, then one round per line)", file=sys.stderr)
        sys.exit(2)
    if DEV.type == "cuda" and not torch.cuda.is_available():
        print("torch_ref.py: --device cuda, but torch.cuda.is_available() is False", file=sys.stderr)
        sys.exit(2)
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    cfg, weights = load_checkpoint(args[0])
    c = json.loads(sys.stdin.readline())
    policy = GPT(cfg, weights, True)
    ref_model = GPT(cfg, weights, False)
    opt = torch.optim.Adam(policy.params(), lr=c["lr"], betas=(0.9, 0.999), eps=1e-8)
    gen = torch.Generator(device=DEV).manual_seed(0)
    torch.zeros(2, 2) @ torch.zeros(2, 2)  # loads the BLAS library before we name it
    blas = blas_library() if DEV.type == "cpu" else f"CUDA {torch.version.cuda}, {torch.cuda.get_device_name(0)}"
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas, "device": DEV.type}), flush=True)
    # One round per line, answered at once, so the caller can interleave rounds with its own (same load).
    for line in sys.stdin:
        if line.strip():
            print(json.dumps(run_round(policy, ref_model, opt, json.loads(line), c, gen)), flush=True)


if __name__ == "__main__":
    main()
