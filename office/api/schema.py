"""drf-spectacular post-processing for what the generator cannot know from the views alone.

Hooks run inside the request's language (``?lang=en`` or ``Accept-Language``), so ``gettext`` here gives
the English schema its English text.
"""

from django.utils.translation import gettext as _


def api_endpoints_only(endpoints, **kwargs):
    """Pre-processing hook: the schema is the API under /api/. The portal mounts the same download view
    at /files/ for signed-in people (a redirect to sign in, not a 401), which is no part of it."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/")]


def describe_api(result, generator, request, public):
    """The schema's title and description, translated."""
    info = result.setdefault("info", {})
    info["title"] = _("市委办公室业务系统 API")
    info["description"] = _(
        "供市直单位、乡镇等其他单位系统调用的接口。外部系统在请求头 `X-Api-Key` 中携带本单位的 API 密钥"
        "（也可用 `Authorization: Api-Key <key>`）；每个密钥只能看到本单位的数据。"
        "所有错误响应都是 JSON：`{code, message, fields}`，message 默认中文，请求头 "
        "`Accept-Language: en` 时为英文。查询参数有误（如每页条数、日期、分页游标、枚举值）时返回 400，"
        "fields 中指明出错的参数。列表按游标分页：沿响应中的 next 地址取下一页。"
    )
    return result
