"""URLs of the organisations app."""

app_name = "organisations"
urlpatterns: list = []
