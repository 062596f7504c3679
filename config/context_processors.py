from django.conf import settings


def site(request) -> dict:
    return {"MUNICIPALITY_NAME": settings.MUNICIPALITY_NAME}
