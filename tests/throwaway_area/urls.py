from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path

app_name = "throwaway"
urlpatterns = [path("", login_required(lambda request: HttpResponse("throw-away page")), name="index")]
