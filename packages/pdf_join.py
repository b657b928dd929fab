"""Joining tagged PDFs into one tagged PDF, with pikepdf (qpdf).

Each part of the report is a complete tagged PDF: its own structure tree (`StructTreeRoot` → one `Document`
element), its own `ParentTree` (a number tree from each page's `StructParents` key, and each annotation's
`StructParent` key, to the structure elements that own its marked content), and its own `IDTree`. Pages copied
one after the other would keep their marked content but lose the tree. `TaggedJoin` builds one tree:

- pages and structure are copied with the same qpdf object copier per source, so every `/Pg` and `/Obj`
  reference of a copied structure element lands on the copied page or annotation;
- the children of each part's `Document` element become children of the joined document's one `Document`,
  in reading order;
- `ParentTree` keys are renumbered: a part's keys are shifted past the keys of the parts before it, in the
  `ParentTree`, on its pages (`StructParents`) and on its annotations (`StructParent`); marked-content ids
  (MCIDs) are per page, so they stay as they are;
- `IDTree` entries are merged (the parts' ids are already unique: see `pdf_tagging.finish_tags`), and a
  `RoleMap` or `ClassMap` is merged the same way.

Content added after the join (the page numbers) is marked as an artifact, so it never needs a structure element.
"""

from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name


class TaggedJoin:
    """Append tagged PDFs to one new PDF and keep a single, valid structure tree."""

    def __init__(self):
        self.pdf = pikepdf.new()
        self._sources: list[pikepdf.Pdf] = []
        self._document = self.pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, K=Array()))
        self._nums = Array()
        self._ids = Array()
        self._role_map = Dictionary()
        self._class_map = Dictionary()
        self._next_key = 0
        self._root = self.pdf.make_indirect(
            Dictionary(Type=Name.StructTreeRoot, K=Array([self._document]), ParentTree=Dictionary(Nums=self._nums))
        )
        self._document.P = self._root

    def append(self, path: Path) -> int:
        """Append every page of the PDF at `path` with its structure; returns the index of its first page."""
        source = pikepdf.open(path)
        self._sources.append(source)  # qpdf copies stream data from the source when the result is saved
        first = len(self.pdf.pages)
        self.pdf.pages.extend(source.pages)
        tree = source.Root.get(Name.StructTreeRoot)
        if tree is None:
            return first
        tree = self.pdf.copy_foreign(tree)
        shift = self._next_key
        pairs = _number_tree(tree.get(Name.ParentTree))
        for key, value in pairs:
            self._nums.append(key + shift)
            self._nums.append(value)
        if pairs:
            self._next_key = shift + max(key for key, _value in pairs) + 1
        for page in self.pdf.pages[first:]:
            if Name.StructParents in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + shift
            for annotation in page.obj.get(Name.Annots, ()):
                if Name.StructParent in annotation:
                    annotation.StructParent = int(annotation.StructParent) + shift
        for part_document in tree.K if isinstance(tree.K, Array) else [tree.K]:
            for kid in part_document.K if isinstance(part_document.K, Array) else [part_document.K]:
                if isinstance(kid, Dictionary):
                    kid.P = self._document
                self._document.K.append(kid)
        for name, value in _name_tree(tree.get(Name.IDTree)):
            self._ids.append(name)
            self._ids.append(value)
        for key, value in tree.get(Name.RoleMap, Dictionary()).items():
            self._role_map[key] = value
        for key, value in tree.get(Name.ClassMap, Dictionary()).items():
            self._class_map[key] = value
        return first

    def finish(self, *, language: str) -> pikepdf.Pdf:
        """Put the joined tree in the catalogue with what a tagged document declares; returns the PDF."""
        root = self.pdf.Root
        self._root.ParentTreeNextKey = self._next_key
        if len(self._ids):
            pairs = sorted(zip(self._ids[::2], self._ids[1::2], strict=True), key=lambda pair: bytes(pair[0]))
            self._root.IDTree = Dictionary(Names=Array([item for pair in pairs for item in pair]))
        if self._role_map.keys():
            self._root.RoleMap = self._role_map
        if self._class_map.keys():
            self._root.ClassMap = self._class_map
        root.StructTreeRoot = self._root
        root.MarkInfo = Dictionary(Marked=True)
        root.Lang = pikepdf.String(language)
        root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
        return self.pdf

    def close(self) -> None:
        for source in self._sources:
            source.close()
        self.pdf.close()


def _number_tree(node) -> list[tuple[int, object]]:
    if node is None:
        return []
    pairs = []
    if Name.Nums in node:
        nums = node.Nums
        pairs.extend((int(nums[index]), nums[index + 1]) for index in range(0, len(nums), 2))
    for kid in node.get(Name.Kids, ()):
        pairs.extend(_number_tree(kid))
    return pairs


def _name_tree(node) -> list[tuple[object, object]]:
    if node is None:
        return []
    pairs = []
    if Name.Names in node:
        names = node.Names
        pairs.extend((names[index], names[index + 1]) for index in range(0, len(names), 2))
    for kid in node.get(Name.Kids, ()):
        pairs.extend(_name_tree(kid))
    return pairs


def artifact(operations: bytes) -> bytes:
    """Content that is page furniture (not part of the text), marked so assistive technology skips it."""
    return b"/Artifact <</Type /Pagination>> BDC\n" + operations + b"\nEMC\n"
