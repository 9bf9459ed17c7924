import io
from urllib.parse import parse_qs, urlsplit

import zxingcpp
from django.urls import reverse
from PIL import Image

from certificates import services
from certificates.jobs import verify_url_maker
from pkk_training.whatsapp import wa_link
from sessions.services import attendance_mark
from tests.factories import (
    EnrollmentFactory,
    ParticipantFactory,
    SurveyFactory,
    TrainingSessionFactory,
)


def test_wa_link_to_one_number_is_e164_without_plus_and_url_encoded():
    link = wa_link("Sertifikat Anda: https://x.test/v/ABC?a=1&b=2", "+62 812-9999-0001")

    assert link == (
        "https://wa.me/6281299990001?text=Sertifikat%20Anda%3A%20https%3A%2F%2Fx.test"
        "%2Fv%2FABC%3Fa%3D1%26b%3D2"
    )


def test_wa_link_without_a_number_lets_the_sender_pick_a_chat():
    assert wa_link("Isi survei") == "https://wa.me/?text=Isi%20survei"


def test_certificate_share_link_holds_only_her_own_link(login, program, coordinator):
    session = TrainingSessionFactory(program=program)
    participant = ParticipantFactory(
        organization=program.organization, phone="+6281299990001", nik="1807015505800001"
    )
    enrollment = EnrollmentFactory(
        program=program, participant=participant, enrolled_on=session.date
    )
    other = EnrollmentFactory(program=program, enrolled_on=session.date)
    for person in (enrollment, other):
        attendance_mark(session=session, enrollment=person, status="present", by=coordinator)
    services.certificate_settings_update(program=program, min_sessions=1)
    mine, theirs = sorted(
        services.certificates_generate(
            program=program, by=coordinator, verify_url=verify_url_maker("http://testserver")
        ),
        key=lambda c: c.enrollment_id != enrollment.pk,
    )

    html = (
        login(coordinator)
        .get(reverse("certificate_list", kwargs={"program_slug": program.slug}))
        .content.decode()
    )

    link = next(
        part.split('"')[0]
        for part in html.split('href="')
        if part.startswith("https://wa.me/6281299990001?")
    )
    link = link.replace("&amp;", "&")
    parts = urlsplit(link)
    text = parse_qs(parts.query)["text"][0]
    assert parts.path == "/6281299990001"
    assert f"http://testserver/v/{mine.code}/" in text
    assert theirs.code not in text and participant.full_name not in text
    assert participant.nik not in link


def test_survey_page_shares_its_link_and_offers_a_png_qr(login, program, facilitator):
    survey = SurveyFactory(program=program)
    client = login(facilitator)
    public = f"http://testserver{reverse('survey_public', args=[survey.public_token])}"

    html = client.get(
        reverse("survey_detail", kwargs={"program_slug": program.slug, "survey_id": survey.pk})
    ).content.decode()
    png = client.get(
        reverse("survey_qr_png", kwargs={"program_slug": program.slug, "survey_id": survey.pk})
    )

    share = html.split('id="share-whatsapp"')[0].rsplit('href="', 1)[1].split('"')[0]
    assert share.startswith("https://wa.me/?text=")
    assert public in parse_qs(urlsplit(share.replace("&amp;", "&")).query)["text"][0]
    assert png["Content-Type"] == "image/png"
    assert zxingcpp.read_barcodes(Image.open(io.BytesIO(png.content)))[0].text == public
