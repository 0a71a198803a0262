#!/usr/bin/env python3
"""The PyTorch peer of Graphport's decode benchmark (bench/Graphport.Bench `decode`).

Builds a Llama decoder at a small configuration with seeded random weights (nothing downloaded) wrapped as
transformers' executorch integration exports it for generation with a static key/value cache
(TorchExportableModuleForDecoderOnlyLM: one call is one token, the cache a buffer the step writes in place), exports
it with torch.export, saves it, and times torch's own ep.module() token by token on the CPU: the same archive
Graphport then loads and times. Writes JSON: {torch, threads, cache, ms_per_token (mean over --tokens after --warmup-s
of warm-up), token_ms (each timed token), logits (the first --check tokens' outputs, for the correctness check)}.

    tools/torch/python bench/torch/decode_peer.py --out DIR [--cache 1024] [--tokens 200] [--warmup-s 4] [--check 4]
"""

import argparse
import json
import os
import sys
import time

import torch


def tokens(position):
    return torch.tensor([[position % 997 + 3]]), torch.tensor([position % CACHE])


def main():
    global CACHE
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, help="folder for llama_decode.pt2 and decode_torch.json")
    parser.add_argument("--cache", type=int, default=1024, help="static cache length (positions)")
    parser.add_argument("--tokens", type=int, default=200)
    parser.add_argument("--warmup-s", type=float, default=4.0)
    parser.add_argument("--check", type=int, default=4, help="tokens whose logits are written for the check")
    args = parser.parse_args()
    CACHE = args.cache
    import transformers as tf
    from transformers.integrations.executorch import TorchExportableModuleForDecoderOnlyLM

    torch.manual_seed(0)
    config = tf.LlamaConfig(vocab_size=1000, hidden_size=256, intermediate_size=512, num_hidden_layers=4, num_attention_heads=8,
                            num_key_value_heads=2, max_position_embeddings=args.cache)
    model = tf.LlamaForCausalLM(config).eval()
    model.generation_config.cache_implementation = "static"
    model.generation_config.cache_config = {"batch_size": 1, "max_cache_len": args.cache}
    step = TorchExportableModuleForDecoderOnlyLM(model, batch_size=1, max_cache_len=args.cache).model

    class Step(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.step = step

        def forward(self, input_ids, cache_position):
            return self.step(input_ids=input_ids, cache_position=cache_position)

    os.makedirs(args.out, exist_ok=True)
    archive = os.path.join(args.out, "llama_decode.pt2")
    with torch.no_grad():
        ep = torch.export.export(Step(), tokens(0))
    torch.export.save(ep, archive)

    module = torch.export.load(archive).module()
    with torch.no_grad():
        logits = [module(*tokens(p)).flatten().tolist() for p in range(args.check)]
        start = time.perf_counter()
        p = args.check
        while time.perf_counter() - start < args.warmup_s:
            module(*tokens(p))
            p += 1
        token_ms = []
        for i in range(args.tokens):
            t0 = time.perf_counter()
            module(*tokens(p + i))
            token_ms.append((time.perf_counter() - t0) * 1000)
    result = {"torch": torch.__version__, "transformers": tf.__version__, "threads": torch.get_num_threads(), "cache": args.cache,
              "archive": archive, "tokens": args.tokens, "ms_per_token": sum(token_ms) / len(token_ms), "token_ms": token_ms, "logits": logits}
    with open(os.path.join(args.out, "decode_torch.json"), "w") as f:
        json.dump(result, f)
    print(f"torch {torch.__version__} ({torch.get_num_threads()} threads): {result['ms_per_token']:.3f} ms per token, cache {args.cache}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
