from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .. import conf
from ..selectors.board import board_state
from .common import duty_required


@duty_required
def board(request):
    return render(request, "duty/board.html", {**board_state(), "poll_seconds": conf.board_poll_seconds()})


@never_cache
@duty_required
def board_fragment(request):
    return render(
        request, "duty/_board_live.html", {**board_state(), "poll_seconds": conf.board_poll_seconds()}
    )
