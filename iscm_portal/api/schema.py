"""The OpenAPI description of what every endpoint shares: problem documents for errors, ETag and 304.

drf-spectacular describes each view's own parameters and answers from its serializers and filters;
`PortalAutoSchema` adds the error answers (RFC 9457 problem documents, see problems.py) and the conditional
GET (an `ETag` on every 200, `If-None-Match`, 304), so the published schema matches what callers receive.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from .problems import PROBLEM_CONTENT_TYPE

READ_PROBLEMS = ("400", "401", "403", "404", "406", "429")
WRITE_PROBLEMS = (*READ_PROBLEMS, "409", "411", "413", "415")


class ProblemSerializer(serializers.Serializer):
    """An error (RFC 9457 problem details)."""

    type = serializers.CharField(help_text=_("A URI naming the kind of problem."))
    title = serializers.CharField(help_text=_("Short summary of the kind of problem."))
    status = serializers.IntegerField(help_text=_("The HTTP status code."))
    detail = serializers.CharField(help_text=_("What went wrong this time."))
    instance = serializers.CharField(help_text=_("The address that was asked."))
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text=_("Invalid fields and their messages (non_field_errors: the input as a whole)."),
    )
    retry_after = serializers.IntegerField(required=False, help_text=_("Seconds to wait (429 and 503 only)."))

    class Meta:
        ref_name = "Problem"


_ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    response=["200"],
    description=_("The version of this answer; send it in If-None-Match to get 304 while it is unchanged."),
)
_IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description=_("An ETag received earlier: the answer is 304 without a body while it still matches."),
)


class PortalAutoSchema(AutoSchema):
    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self.method == "GET":
            parameters += [_ETAG, _IF_NONE_MATCH]
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        if self.method == "GET":
            responses.setdefault("304", {"description": str(_("Not modified: the If-None-Match ETag still matches."))})
        codes = READ_PROBLEMS if self.method in ("GET", "HEAD", "OPTIONS") else WRITE_PROBLEMS
        for code in codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    ProblemSerializer, code, media_types=[PROBLEM_CONTENT_TYPE], direction=direction
                )
        return responses
