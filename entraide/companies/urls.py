"""URLs of the companies app."""

app_name = "companies"
urlpatterns: list = []
