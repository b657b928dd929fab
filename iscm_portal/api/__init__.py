"""The portal's JSON API (`/api/v1/`), built on Django REST framework and documented by drf-spectacular.

What lives here is what every app's endpoints share, and nothing of any app's own data:

- `urls.py`: the `/api/` address space. `/api/v1/` gathers the `urlpatterns` of each app's `api.py`
  (mechanisms, reviews, library, pledges: `API_APPS`), `/api/schema/` is the OpenAPI 3 document and
  `/api/docs/` the Swagger UI page, both generated from the views.
- `problems.py`: every error as an RFC 9457 problem document (`application/problem+json`).
- `conditional.py`: an ETag on every GET and 304 for a matching If-None-Match.
- `pagination.py`: `?page=` and `?page_size=` with the count and the neighbouring pages' links.
- `permissions.py`: views name django-rules permissions per method; reads are open by default, writes closed.
- `views.py`: the base classes an app's endpoints derive from (`ApiView`, `ApiListView`, `ApiDetailView`).

An app's `api.py` holds its serializers and views and a `urlpatterns` list; its reads go through its own
selectors, so an endpoint shows exactly what the app's pages show to the same user.
"""
