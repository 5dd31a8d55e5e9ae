#!/usr/bin/env python3
"""The labelled detection corpus: extract commits from local mirrors, print them for reading, check labels.

    scripts/corpus.py dump NAME [--from N] [--count K]   print the commits of NAME for labelling
    scripts/corpus.py build [NAME...]                    (re)write tests/corpus/NAME.jsonl from the mirror
    scripts/corpus.py check                              every commit has exactly one label, and no label is orphaned

`tests/corpus/repos.toml` names each repository, the snapshot commit it was read at and the windows
of history taken (newest first, merges left out). The JSONL holds only what detection reads: ids,
identities (after mailmap), author time, parent count and the raw message. Labels live apart, in
`tests/corpus/labels/NAME.txt`, decided by reading each message; see the header of any label file.
"""
import json
import os
import subprocess
import sys
import tomllib

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "corpus")
MIRRORS = os.environ.get("AGENTSCAN_MIRRORS", "/work/.mirror")


def config():
    with open(os.path.join(ROOT, "repos.toml"), "rb") as f:
        return tomllib.load(f)["repo"]


def git_dir(repo):
    path = os.path.join(MIRRORS, repo["source"].replace("/", "+"), "repo")
    return path


def commits(repo):
    """The commits of every window of `repo`, newest first, without duplicates."""
    seen = set()
    out = []
    for window in repo["window"]:
        args = ["git", "--git-dir", git_dir(repo), "log", "--no-merges", "-z",
                "--format=%H%x01%aN%x01%aE%x01%cN%x01%cE%x01%at%x01%P%x01%B",
                f"--max-count={window['count']}"]
        if "until" in window:
            args.append(f"--until={window['until']}")
        args.append(repo["commit"])
        raw = subprocess.run(args, check=True, capture_output=True).stdout
        for rec in raw.split(b"\x00"):
            rec = rec.lstrip(b"\n")
            if not rec:
                continue
            f = rec.split(b"\x01", 7)
            sha = f[0].decode()
            if sha in seen:
                continue
            seen.add(sha)
            dec = lambda b: b.decode("utf-8", "replace")
            out.append({
                "id": sha,
                "author": [dec(f[1]), dec(f[2])],
                "committer": [dec(f[3]), dec(f[4])],
                "time": int(f[5]),
                "parents": len(f[6].split()),
                "message": dec(f[7]),
            })
    return out


def dump(name, start, count):
    repo = next(r for r in config() if r["name"] == name)
    cs = commits(repo)
    for i, c in enumerate(cs[start:start + count], start):
        print(f"### {i} {c['id'][:12]}")
        print(f"A: {c['author'][0]} <{c['author'][1]}>")
        if c["committer"] != c["author"] and c["committer"][1] != "noreply@github.com":
            print(f"C: {c['committer'][0]} <{c['committer'][1]}>")
        lines = c["message"].rstrip("\n").split("\n")
        for line in lines:
            print("| " + line)
    print(f"# {len(cs)} commits in all", file=sys.stderr)


def build(names):
    for repo in config():
        if names and repo["name"] not in names:
            continue
        cs = commits(repo)
        with open(os.path.join(ROOT, f"{repo['name']}.jsonl"), "w") as f:
            for c in cs:
                f.write(json.dumps(c, ensure_ascii=False) + "\n")
        print(f"{repo['name']}: {len(cs)} commits")


def read_labels(name):
    labels = {}
    path = os.path.join(ROOT, "labels", f"{name}.txt")
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            parts = line.split()
            labels.setdefault(parts[0], []).append((n, parts[1:]))
    return labels


def check():
    ok = True
    for repo in config():
        name = repo["name"]
        with open(os.path.join(ROOT, f"{name}.jsonl")) as f:
            ids = [json.loads(l)["id"] for l in f]
        labels = read_labels(name)
        for prefix, uses in labels.items():
            matches = [i for i in ids if i.startswith(prefix)]
            if len(matches) != 1 or len(uses) != 1:
                print(f"{name}: label {prefix} matches {len(matches)} commits, written {len(uses)} times")
                ok = False
        labelled = {i for i in ids for p in labels if i.startswith(p)}
        print(f"{name}: {len(ids)} commits, {len(labelled)} labelled")
        if len(labelled) != len(ids):
            ok = False
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "dump":
        a = sys.argv[2:]
        start = int(a[a.index("--from") + 1]) if "--from" in a else 0
        count = int(a[a.index("--count") + 1]) if "--count" in a else 100
        dump(a[0], start, count)
    elif cmd == "build":
        build(sys.argv[2:])
    elif cmd == "check":
        check()
