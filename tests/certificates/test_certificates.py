import pytest
from django.urls import reverse
from pypdf import PdfReader

from certificates import selectors, services
from certificates.codes import ALPHABET, VERIFICATION_LENGTH
from certificates.jobs import verify_url_maker
from certificates.models import Certificate
from certificates.numbers import number_make
from demo.services import PROGRAM_SLUG, demo_load
from programs.models import Program
from reports.enums import SuccessSource
from reports.indicators import evaluate
from reports.models import Indicator, Signatory
from tests.factories import EnrollmentFactory, TrainingSessionFactory

VERIFY = verify_url_maker("https://pkk.example")


def _read(pdf):
    import io

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def demo(db):
    demo_load()
    return Program.objects.get(slug=PROGRAM_SLUG)


def test_the_demo_comes_with_a_certificate_rule(demo):
    settings = selectors.certificate_settings(demo)

    assert (settings.min_sessions, settings.program_code) == (2, "KKN-23")
    assert settings.checklist is not None


def _demo_rule(program):
    checklist_indicator = Indicator.objects.filter(
        program=program, source=SuccessSource.CHECKLIST_COMPLETE
    ).first()
    template = checklist_indicator.templates.first()
    services.certificate_settings_update(
        program=program, min_sessions=2, checklist=template, program_code="KKN-23"
    )
    return template


def test_eligibility_counts_equal_the_indicator_counts_on_the_demo(demo):
    template = _demo_rule(demo)
    attended = Indicator.objects.create(
        program=demo,
        label="Hadir 2 sesi",
        success_phrase="hadir",
        source=SuccessSource.ATTENDED_MIN,
        min_sessions=2,
    )
    completed = Indicator.objects.create(
        program=demo, label="Selesai", success_phrase="selesai", source="checklist_complete"
    )
    completed.templates.set([template])

    result = selectors.eligibility(demo)

    assert [len(c.met) for c in result.criteria] == [
        evaluate(attended, demo).numerator,
        evaluate(completed, demo).numerator,
    ]
    both = {
        row.enrollment.participant_id
        for row in result.rows
        if all(row.enrollment.participant_id in c.met for c in result.criteria)
    }
    assert result.eligible_count == len(both)
    assert 0 < result.eligible_count < len(result.rows)
    assert all(row.missing for row in result.rows if not row.eligible)


def test_generating_twice_makes_no_second_certificate_and_numbers_follow_the_format(demo):
    _demo_rule(demo)
    Signatory.objects.create(program=demo, role="Kepala Kampung", name="Budi Santoso")
    eligible = selectors.eligibility(demo).eligible_count

    first = services.certificates_generate(program=demo, by=None, verify_url=VERIFY)
    second = services.certificates_generate(program=demo, by=None, verify_url=VERIFY)

    assert (len(first), len(second)) == (eligible, 0)
    assert Certificate.objects.filter(program=demo).count() == eligible
    certificate = Certificate.objects.filter(program=demo).order_by("sequence").first()
    assert certificate.number.startswith("001/KKN-23/")
    assert len(certificate.code) == VERIFICATION_LENGTH
    assert set(certificate.code) <= set(ALPHABET)
    import hashlib

    assert hashlib.sha256(bytes(certificate.pdf)).hexdigest() == certificate.sha256
    text = _read(bytes(certificate.pdf))
    assert certificate.name in text
    assert "Budi Santoso" in text
    assert certificate.number in text


def test_number_format():
    import datetime as dt

    assert (
        number_make(
            "{nomor}/{kode}/{bulan}/{tahun}", sequence=1, code="KKN-23", day=dt.date(2023, 8, 12)
        )
        == "001/KKN-23/VIII/2023"
    )


def test_verification_page_valid_then_revoked_never_phone_or_nik(demo, client, admin_user):
    _demo_rule(demo)
    certificate = services.certificates_generate(program=demo, by=None, verify_url=VERIFY)[0]
    participant = certificate.enrollment.participant
    participant.nik, participant.phone = "1807015505800001", "+6281299990001"
    participant.save(update_fields=["nik", "phone"])
    url = reverse("certificate_verify", kwargs={"code": certificate.code})

    valid = client.get(url)
    services.certificate_revoke(certificate=certificate, by=admin_user, reason="Data salah")
    revoked = client.get(url)

    for response in (valid, revoked):
        html = response.content.decode()
        assert participant.full_name in html
        assert certificate.sha256 in html
        assert participant.nik not in html
        assert "81299990001" not in html
    assert valid.status_code == 200
    assert "VALID" in valid.content.decode() or "SAH" in valid.content.decode()
    assert "Data salah" in revoked.content.decode()
    assert 'class="alert alert-danger" id="verdict"' in revoked.content.decode()


def test_unknown_code_gets_the_same_page(client, db):
    response = client.get(reverse("certificate_verify", kwargs={"code": "ABCDEFGHJK23"}))

    assert response.status_code == 404
    assert 'id="verdict"' in response.content.decode()
    assert "ditemukan" in response.content.decode() or "Not found" in response.content.decode()


def test_verification_is_rate_limited(client, db, settings):
    url = reverse("certificate_verify", kwargs={"code": "ABCDEFGHJK23"})
    statuses = [client.get(url).status_code for _ in range(31)]

    assert statuses[:30] == [404] * 30
    assert statuses[30] == 429


def test_revoked_certificate_can_be_issued_again(program, coordinator):
    session = TrainingSessionFactory(program=program)
    enrollment = EnrollmentFactory(program=program, enrolled_on=session.date)
    from sessions.services import attendance_mark

    attendance_mark(session=session, enrollment=enrollment, status="present", by=coordinator)
    services.certificate_settings_update(program=program, min_sessions=1)
    (certificate,) = services.certificates_generate(
        program=program, by=coordinator, verify_url=VERIFY
    )
    services.certificate_revoke(certificate=certificate, by=coordinator, reason="Nama salah ketik")

    (again,) = services.certificates_generate(program=program, by=coordinator, verify_url=VERIFY)

    assert (again.sequence, again.enrollment_id) == (2, enrollment.pk)
    assert again.code != certificate.code


def test_one_page_per_certificate_even_with_long_names_and_many_signatories(program):
    import io

    from certificates import rendering

    for i in range(5):
        Signatory.objects.create(
            program=program,
            role="Ketua Tim Penggerak PKK Kampung Jaya Tinggi Kecamatan Kasui " * 2,
            name=f"Penanda Tangan Dengan Nama Panjang Sekali {i}",
            nip="1" * 18,
        )
    enrollments = [EnrollmentFactory(program=program) for _ in range(2)]
    certificates = [
        Certificate(
            program=program,
            enrollment=e,
            name="Siti " * 40,
            sequence=i,
            number="001/" + "X" * 100,
            code=f"ABCDEFGHJK2{i}",
            issued_at=e.created_at,
        )
        for i, e in enumerate(enrollments)
    ]
    settings = selectors.certificate_settings(program)

    document = rendering.certificates_document(program, settings, certificates, VERIFY)

    assert len(document.pages) == 2
    assert len(PdfReader(io.BytesIO(document.write_pdf())).pages) == 2
