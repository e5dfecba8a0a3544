#!/usr/bin/env python3
"""Every `ForceNew: true` argument path of the resource types infra models, read from the Go schema of
hashicorp/terraform-provider-azurerm at a tag, written as `force-new-<tag>.json` beside this script.

Usage: extract.py GIT_DIR [TAG]   (GIT_DIR: a clone or snapshot of hashicorp/terraform-provider-azurerm; TAG
defaults to v4.79.0, the version infra pins: src/azurerm/mod.rs PROVIDER_VERSION)

Which file holds each type's schema is taken from the first `source` entry of provider-notes.json. The schema is
read as Go text, not compiled: the resource's schema map (`Schema: map[string]*pluginsdk.Schema{` of an untyped
resource, or `Arguments()` of a typed one), each entry's own `ForceNew: true`, nested blocks
(`Elem: &pluginsdk.Resource{Schema: …}`) as dotted paths, and entries built by a function (`helpers.X()`,
`commonschema.Location()`, a function of the same package) followed to the function's `return &…Schema{…}` in the
same package, its `helpers`/`schema` sub-package, or the vendored go-azure-helpers `commonschema`. Only
unconditional ForceNew is listed: `ForceNew: someVariable` and `CustomizeDiff` rules are not.
"""
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
COMMONSCHEMA = "vendor/github.com/hashicorp/go-azure-helpers/resourcemanager/commonschema"


def git(repo, *args):
    return subprocess.run(["git", "--git-dir", repo, *args], check=True, capture_output=True, text=True).stdout


def matching(text, i):
    """Index of the brace/paren closing the one at text[i] (Go strings and comments skipped)."""
    opening = text[i]
    closing = {"{": "}", "(": ")", "[": "]"}[opening]
    depth, j = 0, i
    while j < len(text):
        c = text[j]
        if c == '"' or c == "`":
            end = text.index(c, j + 1) if c == "`" else re.compile(r'(?<!\\)(?:\\\\)*"').search(text, j + 1).end() - 1
            j = end + 1
            continue
        if text.startswith("//", j):
            j = text.index("\n", j)
            continue
        if c in "{([":
            depth += 1
        elif c in "})]":
            depth -= 1
            if depth == 0:
                return j
        j += 1
    raise ValueError("unbalanced")


def top_level(body):
    """The text of a literal `body` (`{…}`) with everything nested inside it blanked, to find its own fields."""
    out, depth = [], 0
    for c in body:
        if c in "})]":
            depth -= 1
        out.append(c if depth == 1 else " ")
        if c in "{([":
            depth += 1
    return "".join(out)


class Reader:
    def __init__(self, repo, tag):
        self.repo, self.tag = repo, tag
        self.files = {}

    def read(self, path):
        if path not in self.files:
            self.files[path] = git(self.repo, "show", f"{self.tag}:{path}")
        return self.files[path]

    def dir_files(self, d):
        out = git(self.repo, "ls-tree", "--name-only", f"{self.tag}", d + "/")
        return [p for p in out.split() if p.endswith(".go") and not p.endswith("_test.go")]

    def function(self, pkg_dirs, name):
        """The body of `func name(…) …Schema {` in one of `pkg_dirs`, and the directory it is in."""
        pattern = re.compile(r"func " + re.escape(name) + r"\([^)]*\)\s*\*?(?:pluginsdk|schema)\.Schema\s*\{")
        for d in pkg_dirs:
            for f in self.dir_files(d):
                text = self.read(f)
                m = pattern.search(text)
                if m:
                    start = m.end() - 1
                    return text[start : matching(text, start) + 1], d
        return None, None

    def schema_map(self, text, d, prefix, out):
        """Entries of a map literal `{ "k": …, }` (text starts at its brace)."""
        i = 1
        end = len(text) - 1
        entry = re.compile(r'\s*"([a-z0-9_]+)"\s*:\s*')
        while i < end:
            m = entry.match(text, i)
            if not m:
                i += 1
                continue
            key, j = m.group(1), m.end()
            if text.startswith("&", j):
                j = text.index("{", j)
            if text[j] == "{":
                k = matching(text, j)
                self.schema(text[j : k + 1], d, prefix + key, out)
            else:
                call = re.compile(r"([A-Za-z_][A-Za-z0-9_]*\.)?([A-Za-z_][A-Za-z0-9_]*)\(").match(text, j)
                k = matching(text, call.end() - 1) if call else j
                if call:
                    self.call(call.group(1), call.group(2), d, prefix + key, out)
            i = k + 1

    def call(self, pkg, name, d, path, out):
        dirs = {
            None: [d],
            "commonschema.": [COMMONSCHEMA],
            "helpers.": [d + "/helpers", d.rsplit("/", 1)[0] + "/helpers"],
            "azure.": ["helpers/azure"],
            "schema.": [d + "/schema"],
        }.get(pkg, [])
        body, found = self.function(dirs, name)
        if body is None:
            out.setdefault("unresolved", []).append(f"{path}: {pkg or ''}{name}()")
            return
        ret = re.search(r"(?:return\s+|:?=\s*)&(?:pluginsdk|schema)\.Schema\s*\{", body)
        if ret:
            start = ret.end() - 1
            self.schema(body[start : matching(body, start) + 1], found, path, out)
        else:
            out.setdefault("unresolved", []).append(f"{path}: {pkg or ''}{name}() (no schema literal returned)")

    def schema(self, text, d, path, out):
        """One schema literal `{ Type: …, ForceNew: true, Elem: … }` at `path`."""
        own = top_level(text)
        if re.search(r"\bForceNew:\s*true\b", own):
            out["force_new"].append(path)
        elem = re.search(r"\bElem:\s*&(?:pluginsdk|schema)\.Resource\s*\{", text)
        if elem and own[elem.start()] == "E":
            start = elem.end() - 1
            resource = text[start : matching(text, start) + 1]
            m = re.search(r"\bSchema:\s*map\[string\]\*(?:pluginsdk|schema)\.Schema\s*\{", resource)
            if m:
                s = m.end() - 1
                self.schema_map(resource[s : matching(resource, s) + 1], d, path + ".", out)
            else:
                call = re.search(r"\bSchema:\s*([A-Za-z_][A-Za-z0-9_]*\.)?([A-Za-z_][A-Za-z0-9_]*)\(", resource)
                if call:
                    out.setdefault("unresolved", []).append(f"{path}: Elem schema from {call.group(0)}")


MAP = r"map\[string\]\*(?:pluginsdk|schema)\.Schema\s*\{"


def resource_schema(text):
    """Where the resource's schema map literal starts: the first map literal of `Arguments()` (typed resources), or
    what the first `Schema:` of an untyped resource names: a map literal, or a function returning one."""
    m = re.search(r"\)\s*Arguments\(\)\s*" + MAP, text)
    if m:
        return re.compile(MAP).search(text, m.end()).end() - 1
    m = re.search(r"\bSchema:\s*(?:" + MAP + r"|([A-Za-z_][A-Za-z0-9_]*)\(\))", text)
    if m.group(1) is None:
        return m.end() - 1
    f = re.search(r"func " + m.group(1) + r"\(\)\s*" + MAP, text)
    return re.compile(MAP).search(text, f.end()).end() - 1


def added_entries(reader, text, d, out):
    """Entries added to the schema map after it is built (`r.Schema["k"] = &pluginsdk.Schema{…}`, `schema["k"] =
    …`), and the arguments a `CustomizeDiff` forces new (`diff.ForceNew("k")`: conditional, listed apart)."""
    for m in re.finditer(r'\b[A-Za-z_.]*[Ss]chema\["([a-z0-9_]+)"\]\s*=\s*&(?:pluginsdk|schema)\.Schema\s*\{', text):
        start = m.end() - 1
        reader.schema(text[start : matching(text, start) + 1], d, m.group(1), out)
    out["customize_diff_force_new"] = sorted(set(re.findall(r'\.ForceNew\("([a-z0-9_.]+)"\)', text)))


def main():
    repo = sys.argv[1]
    tag = sys.argv[2] if len(sys.argv) > 2 else "v4.79.0"
    notes = json.load(open(os.path.join(HERE, "..", "provider-notes.json")))
    reader = Reader(repo, tag)
    commit = git(repo, "rev-list", "-n", "1", tag).strip()
    resources = {}
    for rtype, note in notes.items():
        first = note.get("source", [""])[0].split()
        if len(first) < 2 or first[0] != "hashicorp/terraform-provider-azurerm":
            continue
        path = next((t for t in first[1:] if t.endswith(".go")), None)
        if path is None:
            continue
        text = reader.read(path)
        start = resource_schema(text)
        out = {"file": path, "force_new": []}
        reader.schema_map(text[start : matching(text, start) + 1], os.path.dirname(path), "", out)
        added_entries(reader, text, os.path.dirname(path), out)
        out["force_new"] = sorted(set(out["force_new"]))
        resources[rtype] = out
    facts = {
        "source": {
            "repository": "https://github.com/hashicorp/terraform-provider-azurerm",
            "tag": tag,
            "commit": commit,
            "extracted_by": "src/azurerm/data/force-new/extract.py (Go schema text, unconditional ForceNew: true only)",
            "license": "facts read from MPL-2.0 source; no code copied",
        },
        "resources": resources,
    }
    with open(os.path.join(HERE, f"force-new-{tag}.json"), "w") as f:
        json.dump(facts, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
