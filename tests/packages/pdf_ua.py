"""A structural PDF/UA-1 check with pikepdf, for the tests (veraPDF cannot be installed from PyPI, Debian or npm).

`pdf_ua_problems(path)` reads a PDF and lists every way it breaks the PDF/UA-1 rules this portal can break:
the catalogue (StructTreeRoot, MarkInfo /Marked true, /Lang, ViewerPreferences /DisplayDocTitle), the XMP
identification (pdfuaid:part 1, dc:title), the structure tree (each element's /P is its parent, each /Pg a page
of this document, figures with /Alt, tables with TH cells that have a /Scope, heading levels that never skip,
unique ids that the data cells' /Headers name), and the link between content and structure (every page's
marked content reachable through the ParentTree to an element of the tree that owns that MCID on that page,
every annotation's /StructParent to the element that owns it, and no text or drawn object outside marked
content: what is not tagged must be an artifact). An empty list means it passed.
"""

from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name

SHOWING = {"Tj", "TJ", "'", '"', "Do", "BI"}
HEADINGS = {f"/H{level}": level for level in range(1, 7)}


def _number_tree(node) -> dict[int, object]:
    entries = {}
    if node is None:
        return entries
    if Name.Nums in node:
        nums = node.Nums
        for index in range(0, len(nums), 2):
            entries[int(nums[index])] = nums[index + 1]
    for kid in node.get(Name.Kids, ()):
        entries.update(_number_tree(kid))
    return entries


def _kids(element) -> list:
    kids = element.get(Name.K)
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def structure(pdf: pikepdf.Pdf) -> list[tuple[Dictionary, int]]:
    """The structure elements in document order, each with its depth (the Document element is depth 0)."""
    elements, stack = [], [(kid, 0) for kid in reversed(_kids(pdf.Root.StructTreeRoot))]
    while stack:
        element, depth = stack.pop()
        elements.append((element, depth))
        children = [kid for kid in _kids(element) if isinstance(kid, Dictionary) and Name.S in kid]
        stack.extend((kid, depth + 1) for kid in reversed(children))
    return elements


def pdf_ua_problems(path: Path) -> list[str]:
    problems = []
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        if Name.StructTreeRoot not in root:
            return ["no StructTreeRoot: the PDF is not tagged"]
        if not (Name.MarkInfo in root and root.MarkInfo.get(Name.Marked) is True):
            problems.append("MarkInfo /Marked is not true")
        if not str(root.get(Name.Lang, "")):
            problems.append("the catalogue has no /Lang")
        if not (Name.ViewerPreferences in root and root.ViewerPreferences.get(Name.DisplayDocTitle) is True):
            problems.append("ViewerPreferences /DisplayDocTitle is not true")
        meta = pdf.open_metadata()
        if meta.get("pdfuaid:part") != "1":
            problems.append(f"XMP pdfuaid:part is {meta.get('pdfuaid:part')!r}, not '1'")
        if not meta.get("dc:title"):
            problems.append("XMP has no dc:title")

        pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
        elements = structure(pdf)
        reachable = {element.objgen for element, _depth in elements}
        parents = {}
        for element, _depth in elements:
            for kid in _kids(element):
                if isinstance(kid, Dictionary) and Name.S in kid:
                    parents[kid.objgen] = element.objgen
        ids, headers, previous_heading = set(), [], 0
        for element, _depth in elements:
            kind = str(element.S)
            where = f"{kind} {element.objgen}"
            parent = element.get(Name.P)
            if element.objgen in parents and parent is not None and parent.objgen != parents[element.objgen]:
                problems.append(f"{where}: /P is not its parent in the tree")
            if Name.Pg in element and element.Pg.objgen not in pages:
                problems.append(f"{where}: /Pg is not a page of this document")
            if kind == "/Figure" and not str(element.get(Name.Alt, "")):
                problems.append(f"{where}: figure without /Alt")
            if kind == "/Table":
                cells = [str(cell.S) for cell, _d in structure_of(element)]
                if "/TH" not in cells:
                    problems.append(f"{where}: table without header cells")
            if kind == "/TH":
                attributes = element.get(Name.A)
                if not (isinstance(attributes, Dictionary) and Name.Scope in attributes):
                    problems.append(f"{where}: header cell without /Scope")
            if Name.ID in element:
                identifier = str(element.ID)
                if identifier in ids:
                    problems.append(f"{where}: id {identifier} is not unique")
                ids.add(identifier)
            attributes = element.get(Name.A)
            if isinstance(attributes, Dictionary) and Name.Headers in attributes:
                headers.extend((where, str(item)) for item in attributes.Headers)
            if kind in HEADINGS:
                level = HEADINGS[kind]
                if level > previous_heading + 1:
                    problems.append(f"{where}: heading level {level} follows level {previous_heading}")
                previous_heading = level
        problems.extend(f"{where}: /Headers names unknown id {name}" for where, name in headers if name not in ids)

        parent_tree = _number_tree(pdf.Root.StructTreeRoot.get(Name.ParentTree))
        for index, page in enumerate(pdf.pages):
            problems.extend(_page_problems(pdf, page, index + 1, parent_tree, reachable))
    return problems


def structure_of(element) -> list[tuple[Dictionary, int]]:
    found, stack = [], [(kid, 1) for kid in _kids(element) if isinstance(kid, Dictionary) and Name.S in kid]
    while stack:
        item, depth = stack.pop()
        found.append((item, depth))
        stack.extend((kid, depth + 1) for kid in _kids(item) if isinstance(kid, Dictionary) and Name.S in kid)
    return found


def _owns(element, mcid: int, page) -> bool:
    for kid in _kids(element):
        if isinstance(kid, int) and kid == mcid:
            page_ref = element.get(Name.Pg)
            return page_ref is None or page_ref.objgen == page.objgen
        if isinstance(kid, Dictionary) and kid.get(Name.Type) == Name.MCR and int(kid.MCID) == mcid:
            page_ref = kid.get(Name.Pg, element.get(Name.Pg))
            return page_ref is None or page_ref.objgen == page.objgen
    return False


def _page_problems(pdf, page, number: int, parent_tree: dict, reachable: set) -> list[str]:
    problems, depth, marked = [], 0, []
    for operands, operator in pikepdf.parse_content_stream(page):
        operator = str(operator)
        if operator in ("BDC", "BMC"):
            depth += 1
            if operator == "BDC" and isinstance(operands[1], Dictionary) and Name.MCID in operands[1]:
                marked.append(int(operands[1].MCID))
        elif operator == "EMC":
            depth -= 1
        elif operator in SHOWING and depth == 0:
            problems.append(f"page {number}: {operator} outside marked content (neither tagged nor an artifact)")
    if marked:
        key = page.obj.get(Name.StructParents)
        mapping = parent_tree.get(int(key)) if key is not None else None
        if not isinstance(mapping, Array):
            return [*problems, f"page {number}: marked content but no ParentTree entry for its StructParents"]
        for mcid in marked:
            owner = mapping[mcid] if mcid < len(mapping) else None
            if not isinstance(owner, Dictionary) or owner.objgen not in reachable:
                problems.append(f"page {number}: MCID {mcid} is not owned by an element of the tree")
            elif not _owns(owner, mcid, page.obj):
                problems.append(f"page {number}: MCID {mcid} maps to an element that does not hold it")
    for annotation in page.obj.get(Name.Annots, ()):
        if annotation.get(Name.Subtype) == Name.Link:
            key = annotation.get(Name.StructParent)
            owner = parent_tree.get(int(key)) if key is not None else None
            if not isinstance(owner, Dictionary) or owner.objgen not in reachable:
                problems.append(f"page {number}: a link annotation is not in the structure tree")
            elif not any(
                isinstance(kid, Dictionary) and kid.get(Name.Type) == Name.OBJR and kid.Obj.objgen == annotation.objgen
                for kid in _kids(owner)
            ):
                problems.append(f"page {number}: a link's ParentTree element does not hold the link")
    return problems
