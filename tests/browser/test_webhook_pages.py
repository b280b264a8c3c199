"""The coordinators' webhook pages in the browser, used as a person does: register an endpoint (an
address refused first), read its secret and delivery log, send a dead delivery again; axe-core at
desktop and phone width, and no script or CSP error."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import log_in
from tests.browser.test_accessibility import BLOCKING, audit, demo, describe  # noqa: F401 - `demo` is a fixture
from webhooks.models import Delivery, Endpoint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_coordinator_registers_an_endpoint_and_reads_its_log(page, demo, settings):  # noqa: F811
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    log_in(page, "coordinator", next_url="/coordinate/webhooks/")
    blocking = {"list": describe(audit(page, "/coordinate/webhooks/"))}

    page.get_by_role("link", name="Add an endpoint").click()
    page.get_by_label("URL").fill("http://[::1]:9/hook")  # loopback over IPv6: not allowed here
    page.get_by_label("An assignment is created").check()
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("webhooks go to public addresses only").is_visible()
    found = Axe().run(page).response["violations"]  # the page as it answered the post
    blocking["form in error"] = describe([v for v in found if v["impact"] in BLOCKING])
    page.get_by_label("URL").fill("http://127.0.0.1:9/hook")
    page.get_by_role("button", name="Save").click()

    endpoint = Endpoint.objects.get()
    assert page.get_by_text(endpoint.secret).is_visible()
    Delivery.objects.create(
        endpoint=endpoint, event_type="assignment.created", message_id="msg_browser", payload={}, status="dead"
    )
    detail = f"/coordinate/webhooks/{endpoint.pk}/"
    blocking["detail"] = describe(audit(page, detail))
    page.get_by_role("button", name="Send again").click()
    assert page.get_by_role("status").filter(has_text="The delivery will be sent again.").is_visible()
    assert Delivery.objects.get().status == "pending"
    page.set_viewport_size({"width": 390, "height": 800})
    for name, url in (("detail (phone)", detail), ("edit (phone)", f"{detail}edit/")):
        blocking[name] = describe(audit(page, url))

    assert {name: found for name, found in blocking.items() if found} == {}
    assert errors == []
