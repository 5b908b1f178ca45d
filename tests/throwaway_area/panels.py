"""The throw-away area's dashboard panel and banner, plugged in by its AppConfig's hooks table."""


def panel(request):
    return {"template": "throwaway/panel.html"}


def banners(request):
    return [{"template": "throwaway/banner.html", "text": "Throw-away urgent banner"}]
