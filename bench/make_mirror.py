#!/usr/bin/env python3
"""Writes a synthetic hub mirror for `hubguard hub scan` benchmarks.

    bench/make_mirror.py OUT [--repos 2000] [--seed 1] [--weights-kb 256] [--malicious 0.02]

OUT gets models/<owner>/<name>/ and datasets/<owner>/<name>/ repositories shaped like the
Hugging Face hub: config.json (some with auto_map naming remote-code modules), README.md,
tokenizer files shared by many repositories (identical content, as on the hub), safetensors
and .npy weights with random tensor data (distinct content, so a cold cache really is cold),
pickles and torch checkpoints copied from tests/fixtures/scan/benign, dataset repositories
with CSV data and a loading script. A share of repositories gets one planted malicious file
copied from tests/fixtures (pickle, torch, joblib, numpy payloads, or a malicious Python
module as remote code or dataset script); their paths are listed in OUT/planted.txt.

Only writes bytes: nothing here loads or runs a fixture. Same arguments, same tree.
"""
import argparse
import json
import os
import random
import shutil
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "tests", "fixtures")


def fixture(*parts):
    return os.path.join(FIXTURES, *parts)


def listdir(*parts):
    d = fixture(*parts)
    return sorted(os.path.join(d, n) for n in os.listdir(d) if os.path.isfile(os.path.join(d, n)))


BENIGN = listdir("scan", "benign", "pickle") + listdir("scan", "benign", "torch") + listdir("scan", "benign", "sklearn")
# Malicious payloads whose file on disk is itself the carrier (not an archive wrapper).
MALICIOUS_MODELS = (listdir("scan", "malicious", "pickle") + listdir("scan", "malicious", "torch") +
                    listdir("scan", "malicious", "joblib") + listdir("scan", "malicious", "numpy"))
MALICIOUS_PY = listdir("python", "malicious")
BENIGN_PY = listdir("python", "benign") if os.path.isdir(fixture("python", "benign")) else []

WORDS = ["bert", "llama", "mistral", "gpt", "t5", "vit", "whisper", "clip", "resnet", "phi",
         "qwen", "gemma", "falcon", "bloom", "roberta", "deberta", "electra", "yolo", "sam", "bart"]
ARCH = ["BertModel", "LlamaForCausalLM", "MistralForCausalLM", "GPT2LMHeadModel", "T5ForConditionalGeneration",
        "ViTModel", "WhisperForConditionalGeneration", "CLIPModel", "ResNetModel", "PhiForCausalLM"]


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def safetensors(rng, size):
    n = max(1, size // 4)
    header = json.dumps({"__metadata__": {"format": "pt"},
                         "weight": {"dtype": "F32", "shape": [n], "data_offsets": [0, n * 4]}}).encode()
    header += b" " * (-len(header) % 8)
    return struct.pack("<Q", len(header)) + header + rng.randbytes(n * 4)


def npy(rng, size):
    n = max(1, size // 4)
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (%d,), }" % n
    header += " " * (-(len(header) + 11) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + rng.randbytes(n * 4)


def model_repo(rng, base, args, shared):
    size = int(args.weights_kb * 1024 * rng.uniform(0.25, 2.0))
    arch = rng.choice(ARCH)
    config = {"architectures": [arch], "model_type": arch.lower()[:5], "hidden_size": rng.choice([256, 512, 768])}
    remote = rng.random() < 0.1
    if remote:
        config["auto_map"] = {"AutoConfig": "configuration_custom.CustomConfig",
                              "AutoModel": "modeling_custom.CustomModel"}
        write(os.path.join(base, "configuration_custom.py"),
              "from transformers import PretrainedConfig\n\nclass CustomConfig(PretrainedConfig):\n"
              "    model_type = 'custom'\n")
        write(os.path.join(base, "modeling_custom.py"),
              "import torch\nfrom transformers import PreTrainedModel\n\nclass CustomModel(PreTrainedModel):\n"
              "    def forward(self, x):\n        return x * %d\n" % rng.randrange(1000))
    write(os.path.join(base, "config.json"), json.dumps(config, indent=2))
    write(os.path.join(base, "README.md"), "# %s\n\nA synthetic model card.\n" % os.path.basename(base))
    write(os.path.join(base, ".gitattributes"), "*.safetensors filter=lfs diff=lfs merge=lfs -text\n")
    write(os.path.join(base, "tokenizer.json"), shared["tokenizer"][rng.randrange(len(shared["tokenizer"]))])
    write(os.path.join(base, "model.safetensors"), safetensors(rng, size))
    r = rng.random()
    if r < 0.25:
        shutil.copyfile(rng.choice(BENIGN), os.path.join(base, "pytorch_model.bin"))
    elif r < 0.35:
        write(os.path.join(base, "embeddings.npy"), npy(rng, size // 4))
    return remote


def dataset_repo(rng, base, name):
    rows = "\n".join("%d,%s,%f" % (i, rng.choice(WORDS), rng.random()) for i in range(rng.randrange(50, 500)))
    write(os.path.join(base, "data", "train.csv"), "id,word,score\n" + rows + "\n")
    write(os.path.join(base, "README.md"), "# %s\n\nA synthetic dataset card.\n" % name)
    if rng.random() < 0.5:
        write(os.path.join(base, name + ".py"),
              "import csv\nimport datasets\n\nclass Builder(datasets.GeneratorBasedBuilder):\n"
              "    def _generate_examples(self, path):\n        with open(path) as f:\n"
              "            for i, row in enumerate(csv.DictReader(f)):\n                yield i, row\n")


def plant(rng, base, kind):
    if kind == "dataset" or rng.random() < 0.2:
        src = rng.choice(MALICIOUS_PY)
        name = "modeling_custom.py" if kind == "model" else os.path.basename(base) + ".py"
        if kind == "model":
            cfg = os.path.join(base, "config.json")
            config = json.load(open(cfg))
            config["auto_map"] = {"AutoModel": "modeling_custom.CustomModel"}
            write(cfg, json.dumps(config, indent=2))
    else:
        src = rng.choice(MALICIOUS_MODELS)
        name = rng.choice(["pytorch_model.bin", "model.pkl", "training_args.bin", "model.joblib"])
    shutil.copyfile(src, os.path.join(base, name))
    return os.path.join(base, name), os.path.relpath(src, FIXTURES)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out")
    p.add_argument("--repos", type=int, default=2000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--weights-kb", type=int, default=256, help="mean safetensors size")
    p.add_argument("--datasets", type=float, default=0.2, help="share of dataset repositories")
    p.add_argument("--malicious", type=float, default=0.02, help="share of repositories with a planted file")
    args = p.parse_args()
    rng = random.Random(args.seed)
    if os.path.exists(args.out) and os.listdir(args.out):
        sys.exit("make_mirror: %s exists and is not empty" % args.out)
    shared = {"tokenizer": [json.dumps({"version": "1.0", "vocab": {w: i for i, w in enumerate(WORDS[:k])}})
                            for k in range(5, 20)]}
    planted = []
    for i in range(args.repos):
        owner = "%s-%03d" % (rng.choice(WORDS), rng.randrange(500))
        name = "%s-%d" % (rng.choice(WORDS), i)
        kind = "dataset" if rng.random() < args.datasets else "model"
        base = os.path.join(args.out, kind + "s", owner, name)
        if kind == "model":
            model_repo(rng, base, args, shared)
        else:
            dataset_repo(rng, base, name)
        if rng.random() < args.malicious:
            path, src = plant(rng, base, kind)
            planted.append("%s\t%s" % (os.path.relpath(path, args.out), src))
    write(os.path.join(args.out, "planted.txt"), "\n".join(planted) + "\n")
    print("make_mirror: %d repositories, %d planted, in %s" % (args.repos, len(planted), args.out))


if __name__ == "__main__":
    main()
