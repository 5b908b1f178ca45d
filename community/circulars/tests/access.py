"""The circular board's rows of the access matrix (see tests/access.py).

The world: `resident` is a member of a household of `association` (the officer's); `other_resident`
is a member of another association; the officer runs `association` (Profile.officer_of) without a
household of their own. Outsiders get 404 for objects (never a hint that they exist) and 403 for
an association's officer pages. Rows that change state are ordered so that later rows still hold.
"""
import datetime

from django.utils import timezone

from tests.access import LOGIN, Row, only, signed_in

OUTSIDER = 404


def rows(world):
    from community.circulars import services
    from community.circulars.models import JoinRequest, Post

    from .factories import GroupFactory, HouseholdFactory, member, pdf, publish

    association = world.association
    group = GroupFactory(association=association)
    household = HouseholdFactory(group=group)
    member(world.resident, household)
    elsewhere = member(world.other_resident)  # a member of another association
    spare = HouseholdFactory(group=group)
    leaving = member(world.new_user(), HouseholdFactory(group=group))
    circular = publish(association, world.officer, title="matrix", question="yes_no", question_text="?",
                       attachments=[pdf()])
    scheduled = publish(association, world.officer, title="later",
                        publish_at=timezone.now() + datetime.timedelta(days=1))
    safety = services.safety_check_send(association=association, author=world.officer, title="matrix safety")
    district_check = services.district_check_send(district=association.district, actor=None, title="matrix district")
    attachment = circular.attachments.get()
    post = services.post_create(user=world.resident, association=association, title="t", body="b")
    comment = services.comment_create(user=world.resident, post=post, body="c")
    request = JoinRequest.objects.create(association=association, user=elsewhere.user, household_name="x", address="y")
    assert Post.objects.filter(pk=post.pk).exists()

    base = "/community/circulars"
    member_only = {"anonymous": LOGIN, "resident": 200, "officer": 200}
    officer_page = {"anonymous": LOGIN, "officer": 200}
    officer_post = {"anonymous": LOGIN, "officer": 302}
    a = association.pk
    return [
        signed_in(f"{base}/"),
        signed_in(f"{base}/join/"),
        signed_in(f"{base}/join/", 400, method="post", data={"code": "NOPE-NOPE"}),
        signed_in(f"{base}/join/request/", 400, method="post", data={"household_name": ""}),
        Row(f"{base}/{circular.pk}/", member_only, default=OUTSIDER),
        Row(f"{base}/{circular.pk}/answer/", {"anonymous": LOGIN, "resident": 302}, default=OUTSIDER, method="post",
            data={"answer": "yes"}),
        Row(f"{base}/attachments/{attachment.pk}/", member_only, default=OUTSIDER),
        Row(f"{base}/memberships/{leaving.pk}/end/", officer_post, default=OUTSIDER, method="post"),
        # officers
        Row(f"{base}/manage/", {"anonymous": LOGIN, "officer": 302}, default=403),
        Row(f"{base}/manage/{a}/", officer_page, default=403),
        Row(f"{base}/manage/{a}/new/", officer_page, default=403),
        Row(f"{base}/manage/{a}/safety/new/", officer_page, default=403),
        Row(f"{base}/manage/{a}/roster/", officer_page, default=403),
        Row(f"{base}/manage/{a}/roster/groups/", officer_post, default=403, method="post", data={"name": "matrix班"}),
        Row(f"{base}/manage/{a}/roster/households/", officer_post, default=403, method="post",
            data={"name": "matrix", "group": group.pk}),
        Row(f"{base}/manage/{a}/requests/", officer_page, default=403),
        Row(f"{base}/manage/requests/{request.pk}/", officer_post, default=OUTSIDER, method="post",
            data={f"r{request.pk}-decision": "decline"}),
        Row(f"{base}/manage/households/{household.pk}/", officer_page, default=OUTSIDER),
        Row(f"{base}/manage/households/{household.pk}/code/", officer_post, default=OUTSIDER, method="post"),
        Row(f"{base}/manage/households/{spare.pk}/move-out/", officer_post, default=OUTSIDER, method="post"),
        Row(f"{base}/manage/circulars/{circular.pk}/", officer_page, default=OUTSIDER),
        Row(f"{base}/manage/circulars/{circular.pk}/receipts.csv", officer_page, default=OUTSIDER),
        Row(f"{base}/manage/circulars/{circular.pk}/print/", officer_page, default=OUTSIDER),
        Row(f"{base}/manage/circulars/{circular.pk}/paper/", officer_post, default=OUTSIDER, method="post",
            data={"household": [household.pk]}),
        Row(f"{base}/manage/circulars/{circular.pk}/remind/", officer_post, default=OUTSIDER, method="post"),
        Row(f"{base}/manage/circulars/{scheduled.pk}/publish/", officer_post, default=OUTSIDER, method="post"),
        Row(f"{base}/manage/circulars/{safety.pk}/", officer_page, default=OUTSIDER),
        # member board
        Row(f"{base}/board/", {"anonymous": LOGIN, "resident": 302, "other_resident": 302, "officer": 302}, default=200),
        Row(f"{base}/board/{a}/", member_only, default=OUTSIDER),
        Row(f"{base}/board/posts/{post.pk}/", member_only, default=OUTSIDER),
        Row(f"{base}/board/posts/{post.pk}/report/", {"anonymous": LOGIN, "resident": 302, "officer": 302},
            default=OUTSIDER, method="post", data={"reason": "matrix"}),
        Row(f"{base}/board/comments/{comment.pk}/report/", {"anonymous": LOGIN, "resident": 302, "officer": 302},
            default=OUTSIDER, method="post", data={"reason": "matrix"}),
        Row(f"{base}/board/posts/{post.pk}/dismiss/", officer_post, default=OUTSIDER, method="post"),
        Row(f"{base}/board/posts/{post.pk}/hide/", officer_post, default=OUTSIDER, method="post", data={"reason": "m"}),
        Row(f"{base}/board/posts/{post.pk}/restore/", officer_post, default=OUTSIDER, method="post"),
        Row(f"{base}/board/comments/{comment.pk}/hide/", officer_post, default=OUTSIDER, method="post",
            data={"reason": "m"}),
        Row(f"{base}/board/comments/{comment.pk}/restore/", officer_post, default=OUTSIDER, method="post"),
        # city staff of the community department
        only(f"{base}/staff/safety/", ["community"]),
        only(f"{base}/staff/safety/{district_check.pk}/", ["community"]),
        # the smartphone app
        signed_in("/api/v1/circulars/associations/"),
        signed_in("/api/v1/circulars/circulars/"),
        Row(f"/api/v1/circulars/circulars/{circular.pk}/", {"anonymous": LOGIN, "resident": 200}, default=OUTSIDER),
        Row(f"/api/v1/circulars/circulars/{circular.pk}/open/", {"anonymous": LOGIN, "resident": 200},
            default=OUTSIDER, method="post"),
        Row(f"/api/v1/circulars/circulars/{circular.pk}/answer/", {"anonymous": LOGIN, "resident": 200},
            default=OUTSIDER, method="post", data={"answer": "no"}),
        Row(f"/api/v1/circulars/safety-checks/{safety.pk}/answer/", {"anonymous": LOGIN, "resident": 200},
            default=OUTSIDER, method="post", data={"answer": "safe"}),
    ]
