from django.urls import include, path

urlpatterns: list = []

# 收文: other offices send the office documents and follow their status (documents.incoming.api)
urlpatterns += [path("", include("documents.incoming.api"))]
