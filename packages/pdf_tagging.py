"""What a PDF/UA-1 document needs beyond the tags WeasyPrint writes itself (WeasyPrint 66-70).

WeasyPrint tags a document it renders with `pdf_variant="pdf/ua-1"`: a structure tree built from the HTML
(headings, lists, tables whose data cells name their header cells, figures with the `alt` of an image or the
`<title>` of an SVG), the document's language, `MarkInfo`, `DisplayDocTitle` and the XMP identification.
Three things PDF/UA asks for are not there, and this module adds them:

- the language of a passage: an element with a `lang` attribute gives its structure element a `/Lang`, so a
  French review quoted in an English report is read as French;
- the scope of a header cell: each `TH` gets `/Scope /Column`, or `/Row` for `<th scope="row">`;
- running heads and page footers (CSS margin boxes): WeasyPrint marks their text as content whose structure
  elements are left out of the tree; `finish_tags` turns that content into artifacts, as page furniture is.

`finish_tags` also makes the ids of header cells unique beyond one render (they are object numbers, which
repeat from one part of the report to the next) by prefixing them, and lists them in an `IDTree`.

The first two need the HTML element behind each structure element, which only WeasyPrint's tree builder sees,
so `tag_languages_and_scopes()` wraps that builder (a private function of `weasyprint.pdf.tags`) once per
process; `tests/packages/test_tagged_pdf.py` fails if a WeasyPrint upgrade stops it working.
"""

import pydyf
from weasyprint.layout.absolute import AbsolutePlaceholder
from weasyprint.pdf import tags as weasyprint_tags

PDF_VARIANT = "pdf/ua-1"


def _annotated(build):
    def build_box_tree(box, parent, pdf, page_number, nums, annotations, tags):
        for element in build(box, parent, pdf, page_number, nums, annotations, tags):
            _annotate(box, element)
            yield element

    build_box_tree.iscm_annotated = True
    return build_box_tree


def _annotate(box, element: pydyf.Dictionary) -> None:
    if isinstance(box, AbsolutePlaceholder):
        box = box._box
    node = box.element
    if node is None or box.element_tag in ("html", "body"):
        return  # the document's own language is the catalogue's /Lang
    language = node.get("lang")
    if language and "Lang" not in element:
        element["Lang"] = pydyf.String(language)
    if element.get("S") == "/TH" and box.element_tag == "th":
        attributes = element.setdefault("A", pydyf.Dictionary({"O": "/Table"}))
        attributes["Scope"] = "/Row" if node.get("scope") == "row" else "/Column"


def tag_languages_and_scopes() -> None:
    """Make WeasyPrint's structure tree carry passage languages and header scopes (idempotent)."""
    if not getattr(weasyprint_tags._build_box_tree, "iscm_annotated", False):
        weasyprint_tags._build_box_tree = _annotated(weasyprint_tags._build_box_tree)


def _number(reference) -> int:
    return int(bytes(reference).split()[0])


def tags_finisher(id_prefix: str):
    """A WeasyPrint `finisher` completing the tags of one render; ids are prefixed with `id_prefix`."""

    def finisher(document, pdf: pydyf.PDF) -> None:
        finish_tags(document, pdf, id_prefix=id_prefix)

    return finisher


def finish_tags(_document, pdf: pydyf.PDF, *, id_prefix: str) -> None:
    """Content marked for structure elements outside the tree becomes an artifact; ids get `id_prefix`."""
    catalog = pdf.catalog
    if "StructTreeRoot" not in catalog:
        return
    objects = pdf.objects
    root = objects[_number(catalog["StructTreeRoot"])]
    linked, stack = set(), [_number(kid) for kid in root["K"]]
    while stack:
        number = stack.pop()
        if number in linked:
            continue
        linked.add(number)
        kids = objects[number].get("K", ())
        stack.extend(_number(kid) for kid in kids if isinstance(kid, bytes))
    ids = []
    for number in linked:
        element = objects[number]
        if "ID" in element:
            element["ID"] = pydyf.String(f"{id_prefix}-{element['ID'].string}")
            ids.append((element["ID"].string, element.reference))
        headers = element.get("A", {}).get("Headers") if isinstance(element.get("A"), dict) else None
        if headers:
            element["A"]["Headers"] = pydyf.Array(pydyf.String(f"{id_prefix}-{item.string}") for item in headers)
    if ids:
        root["IDTree"] = pydyf.Dictionary(
            {"Names": pydyf.Array(item for key, ref in sorted(ids) for item in (pydyf.String(key), ref))}
        )
    nums = objects[_number(root["ParentTree"])]["Nums"]
    for page_index, page_reference in enumerate(pdf.page_references):
        mapping = nums[2 * page_index + 1]
        orphans = {mcid for mcid, ref in enumerate(mapping) if _number(ref) not in linked}
        if not orphans:
            continue
        for mcid in orphans:
            mapping[mcid] = b"null"
        page = objects[_number(page_reference)]
        stream = objects[_number(page["Contents"])]
        stream.stream = _artifacts(stream.stream, orphans)


def _artifacts(operations: list, mcids: set[int]) -> list:
    """`/Tag <</MCID n>> BDC` becomes `/Artifact BMC` for each n in `mcids`; the matching EMC stays."""
    result = []
    index = 0
    while index < len(operations):
        item = operations[index]
        following = operations[index + 1] if index + 1 < len(operations) else None
        if isinstance(item, pydyf.Dictionary) and following == b"BDC" and item.get("MCID") in mcids:
            result[-1] = "/Artifact"
            result.append(b"BMC")
            index += 2
            continue
        result.append(item)
        index += 1
    return result
