from django.urls import path

from . import views

app_name = "circulars"

urlpatterns = [
    # residents
    path("", views.index, name="index"),
    path("join/", views.join, name="join"),
    path("join/request/", views.join_request, name="join_request"),
    path("memberships/<id:pk>/end/", views.membership_end, name="membership_end"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/answer/", views.answer, name="answer"),
    path("attachments/<id:pk>/", views.attachment, name="attachment"),
    # officers and 班長
    path("manage/", views.manage_index, name="manage_index"),
    path("manage/<id:pk>/", views.manage, name="manage"),
    path("manage/<id:pk>/new/", views.circular_new, name="circular_new"),
    path("manage/<id:pk>/safety/new/", views.safety_new, name="safety_new"),
    path("manage/<id:pk>/roster/", views.roster, name="roster"),
    path("manage/<id:pk>/roster/groups/", views.group_add, name="group_add"),
    path("manage/<id:pk>/roster/households/", views.household_add, name="household_add"),
    path("manage/<id:pk>/requests/", views.requests_list, name="requests"),
    path("manage/requests/<id:pk>/", views.request_decide, name="request_decide"),
    path("manage/households/<id:pk>/", views.household, name="household"),
    path("manage/households/<id:pk>/code/", views.code_issue, name="code_issue"),
    path("manage/households/<id:pk>/move-out/", views.move_out, name="move_out"),
    path("manage/circulars/<id:pk>/", views.progress, name="progress"),
    path("manage/circulars/<id:pk>/receipts.csv", views.receipts_csv, name="receipts_csv"),
    path("manage/circulars/<id:pk>/paper/", views.mark_paper, name="mark_paper"),
    path("manage/circulars/<id:pk>/remind/", views.remind, name="remind"),
    path("manage/circulars/<id:pk>/publish/", views.publish_now, name="publish_now"),
    path("manage/circulars/<id:pk>/print/", views.print_view, name="print"),
    # member board
    path("board/", views.board, name="board"),
    path("board/<id:pk>/", views.board_association, name="board_association"),
    path("board/posts/<id:pk>/", views.post_detail, name="post"),
    path("board/posts/<id:pk>/report/", views.post_report, name="post_report"),
    path("board/posts/<id:pk>/hide/", views.post_hide, name="post_hide"),
    path("board/posts/<id:pk>/restore/", views.post_restore, name="post_restore"),
    path("board/posts/<id:pk>/dismiss/", views.post_dismiss, name="post_dismiss"),
    path("board/comments/<id:pk>/report/", views.comment_report, name="comment_report"),
    path("board/comments/<id:pk>/hide/", views.comment_hide, name="comment_hide"),
    path("board/comments/<id:pk>/restore/", views.comment_restore, name="comment_restore"),
    # city staff (community department)
    path("staff/safety/", views.staff_safety, name="staff_safety"),
    path("staff/safety/<id:pk>/", views.staff_safety_detail, name="staff_safety_detail"),
]
