"""The OpenAPI schema is generated without a warning or an error: every type, filter and choice set is described
at its source (the same generation `manage.py check --deploy` runs, see tests/iscm_portal/test_settings.py)."""

from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema


def test_schema_generates_without_a_warning_or_an_error():
    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)  # raises on a document that is not valid OpenAPI 3
    assert (list(GENERATOR_STATS._warn_cache), list(GENERATOR_STATS._error_cache)) == ([], [])


def test_pledge_filters_give_the_types_of_their_values():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    parameters = {
        parameter["name"]: parameter["schema"]["type"]
        for parameter in schema["paths"]["/api/v1/pledges/"]["get"]["parameters"]
    }
    assert {name: parameters[name] for name in ("objective", "region", "state", "mechanism")} == {
        "objective": "integer",
        "region": "integer",
        "state": "string",
        "mechanism": "string",
    }
