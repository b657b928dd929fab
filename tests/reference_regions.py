"""Which mechanisms of the reference data work in which M49 region, written out once for the region tests of the
directory, packages and the library. Sorted as Python sorts (and as the directory orders by acronym)."""

AFRICA = [
    "5+5 Dialogue",
    "ACP-EU MD",
    "ARCP",
    "IGAD-RCP",
    "Khartoum Process",
    "MIDCAS",
    "MIDCOM",
    "MIDIOCC",
    "MIDSA",
    "MIDWA",
    "MMD",
    "MTM",
    "PAFOM",
    "RMFM",
    "Rabat Process",
]
# Sub-Saharan Africa is reached by the same mechanisms: each African one also works south of the Sahara.
SUB_SAHARAN_AFRICA = AFRICA
NORTHERN_AFRICA = [
    "5+5 Dialogue",
    "ACP-EU MD",
    "ARCP",
    "IGAD-RCP",
    "Khartoum Process",
    "MIDCOM",
    "MMD",
    "MTM",
    "PAFOM",
    "RMFM",
    "Rabat Process",
]
WESTERN_AFRICA = ["5+5 Dialogue", "ACP-EU MD", "ARCP", "MIDWA", "MMD", "MTM", "PAFOM", "Rabat Process"]
AMERICAS = ["ACP-EU MD", "Bali Process", "CMC", "EU-CELAC MD", "IGC", "Quito Process", "RCM", "RIAM", "SACM"]
LATIN_AMERICA = ["ACP-EU MD", "CMC", "EU-CELAC MD", "Quito Process", "RCM", "RIAM", "SACM"]
SOUTH_AMERICA = ["ACP-EU MD", "CMC", "EU-CELAC MD", "Quito Process", "RIAM", "SACM"]
WORLD = ["GFMD", "IDM"]
