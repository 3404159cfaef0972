"""The month's 通报 from the dashboard: a leader gets the bulletin of their scope, an auditor the
province's, every other role nothing, and no request names a file."""
import pytest

from dashboards.bulletin_links import periods
from pipelines.bulletin import Period, file_stem
from tests.browser.conftest import login_client
from tests.conftest import AS_OF

pytestmark = pytest.mark.pipeline
PERIOD = Period.parse(AS_OF[:7]).previous()  # what plankpi run (as of AS_OF) wrote


def _disk(world, scope: str, ext: str) -> bytes:
    return (world.paths.outbox / "bulletins" / f"{file_stem(scope, PERIOD)}.{ext}").read_bytes()


def test_each_reader_gets_the_bulletin_of_their_scope(world, app_for, passwords):
    app = app_for(world.paths.root)
    city = login_client(app, "jc_leader", passwords["jc_leader"])
    got = city.get(f"/bulletin/{PERIOD.key}.pdf")
    assert got.status_code == 200 and got.data == _disk(world, "晋城市", "pdf")
    assert got.mimetype == "application/pdf"
    assert city.get(f"/bulletin/{PERIOD.key}.xlsx").data == _disk(world, "晋城市", "xlsx")  # the full lists
    for user in ("leader", "auditor"):
        got = login_client(app, user, passwords[user]).get(f"/bulletin/{PERIOD.key}.docx")
        assert got.status_code == 200 and got.data == _disk(world, "山西省", "docx"), user
    with app.server.test_request_context():
        assert PERIOD in periods("晋城市") and PERIOD in periods("山西省")


def test_other_roles_and_forged_names_get_nothing(world, app_for, passwords):
    app = app_for(world.paths.root)
    for user in ("yq_sthjj", "admin"):
        assert login_client(app, user, passwords[user]).get(f"/bulletin/{PERIOD.key}.pdf").status_code == 403
    assert app.server.test_client().get(f"/bulletin/{PERIOD.key}.pdf").status_code == 302  # to the login page
    leader = login_client(app, "jc_leader", passwords["jc_leader"])
    for forged in (f"/bulletin/{PERIOD.key}.json", "/bulletin/2024-13.pdf", "/bulletin/1999-01.pdf",
                   "/bulletin/..%2F..%2Fserving%2FCURRENT.pdf", f"/bulletin/{PERIOD.key}.pdf/../../CURRENT",
                   f"/bulletin/{PERIOD.key}.pdf?region=阳泉市"):
        got = leader.get(forged)
        served = "attachment" in got.headers.get("Content-Disposition", "")
        # refused, or not the route at all (Dash's page shell), or the leader's own bulletin (the query is ignored)
        assert got.status_code == 404 or not served and got.mimetype == "text/html" \
            or got.data == _disk(world, "晋城市", "pdf"), forged
