"""The seed report's people, sessions and outcomes, as data. All people are invented."""

import datetime as dt

from programs.enums import MembershipRole
from sessions.enums import SessionPhase

ORGANIZATION_SLUG = "uin-raden-intan-kkn-23"
# Table 1 of the seed counts the participants of the hands-on training; 20 of
# the 30 make its 90 %, 45 %, 55 % and 75 % whole people (18, 9, 11, 15).
TRAINED = 20
PROGRAM_SLUG = "tiktok-affiliate-jaya-tinggi"
VENUE_GSG = "Gedung Serba Guna (GSG) Kampung Jaya Tinggi"

USERS = [
    # username, first name, last name, staff?, role in the program
    ("admin", "Admin", "Demo", True, None),
    ("koordinator", "Kartika", "S.", False, MembershipRole.COORDINATOR),
    ("fasilitator", "Vio", "Wahyu", False, MembershipRole.FACILITATOR),
]

# Invented names; dusun and RT/RW in the style of a Way Kanan kampung.
PARTICIPANTS = [
    ("Siti Aminah", "Dusun I", "001", "001"),
    ("Sri Wahyuni", "Dusun I", "001", "001"),
    ("Nur Hasanah", "Dusun I", "002", "001"),
    ("Rina Marlina", "Dusun I", "002", "001"),
    ("Yuliana Sari", "Dusun I", "003", "001"),
    ("Dewi Lestari", "Dusun I", "003", "001"),
    ("Ani Suryani", "Dusun II", "001", "002"),
    ("Eka Puspita", "Dusun II", "001", "002"),
    ("Fitri Handayani", "Dusun II", "002", "002"),
    ("Hartini", "Dusun II", "002", "002"),
    ("Indah Permatasari", "Dusun II", "003", "002"),
    ("Juwita Ningsih", "Dusun II", "003", "002"),
    ("Kurniasih", "Dusun III", "001", "003"),
    ("Lilis Suryati", "Dusun III", "001", "003"),
    ("Maryati", "Dusun III", "002", "003"),
    ("Nengsih", "Dusun III", "002", "003"),
    ("Oktaviani", "Dusun III", "003", "003"),
    ("Purwati", "Dusun III", "003", "003"),
    ("Rahmawati", "Dusun IV", "001", "004"),
    ("Sumiyati", "Dusun IV", "001", "004"),
    ("Tri Astuti", "Dusun IV", "002", "004"),
    ("Umi Kalsum", "Dusun IV", "002", "004"),
    ("Wartini", "Dusun IV", "003", "004"),
    ("Yeni Rohaeni", "Dusun IV", "003", "004"),
    ("Zubaidah", "Dusun V", "001", "005"),
    ("Aisyah Putri", "Dusun V", "001", "005"),
    ("Badriyah", "Dusun V", "002", "005"),
    ("Cahyani", "Dusun V", "002", "005"),
    ("Darsih", "Dusun V", "003", "005"),
    ("Erna Wati", "Dusun V", "003", "005"),
]

SESSIONS = [
    # phase, title, date, start, end, venue
    (
        SessionPhase.SURVEY,
        "Survei dan silaturahmi dengan aparat kampung",
        dt.date(2023, 7, 25),
        dt.time(9, 0),
        dt.time(11, 0),
        "Balai Kampung Jaya Tinggi",
    ),
    (
        SessionPhase.SOCIALISATION,
        "Sosialisasi: Pelatihan Ecoprint",
        dt.date(2023, 7, 29),
        dt.time(9, 0),
        dt.time(12, 0),
        VENUE_GSG,
    ),
    (
        SessionPhase.SOCIALISATION,
        "Sosialisasi: E-Commerce TikTok Affiliate",
        dt.date(2023, 8, 1),
        dt.time(13, 0),
        dt.time(15, 0),
        VENUE_GSG,
    ),
    (
        SessionPhase.TRAINING,
        "Pelatihan E-Commerce TikTok Affiliate",
        dt.date(2023, 8, 5),
        dt.time(9, 0),
        dt.time(13, 0),
        VENUE_GSG,
    ),
    (
        SessionPhase.MENTORING,
        "Pendampingan pembuatan akun TikTok Affiliate",
        dt.date(2023, 8, 8),
        dt.time(13, 0),
        dt.time(16, 0),
        VENUE_GSG,
    ),
    (
        SessionPhase.EVALUATION,
        "Evaluasi: tanya jawab dan survei keberhasilan",
        dt.date(2023, 8, 12),
        dt.time(9, 0),
        dt.time(11, 0),
        VENUE_GSG,
    ),
]


def demo_phone(index):
    """Well-formed Telkomsel-style numbers in a block no one is likely to own."""
    return f"+62812000{index:05d}"


def demo_birth_year(index):
    return 1970 + index % 25


def demo_nik(index):
    # 18 08 = Lampung, Way Kanan; day of birth + 40 marks a woman.
    day, month = 1 + index % 28, 1 + index % 12
    return f"180805{day + 40:02d}{month:02d}{demo_birth_year(index) % 100:02d}{index:04d}"


# The trained group's signup tracks, chosen so that 9 of 20 (45 %) complete an
# affiliate track and 11 (55 %) do not, 8 of them stuck on the documents.
SELLERS = range(1, 13)  # the seller route needs no 2,000 followers
# participant index → (template code, step position where stuck, reason code)
STUCK = {
    **dict.fromkeys(range(6, 12), ("tiktok-seller", 2, "documents")),
    12: ("tiktok-seller", 1, "no_signal"),
    17: ("tiktok-kreator", 7, "documents"),
    18: ("tiktok-kreator", 7, "documents"),
    19: ("tiktok-kreator", 9, "waiting_approval"),
    20: ("tiktok-kreator", 1, "password_otp"),
}
NO_BANK_ACCOUNT = {12, 19, 20}
# Table 1: 18 of 20 (90 %) installed TikTok, 15 of 20 (75 %) can make a video.
NO_TIKTOK = {12, 20}
NO_VIDEO = {6, 8, 12, 19, 20}
MENTORING = [
    # index, days after the training, channel, (template, step position), what, resolved
    (
        6,
        2,
        "whatsapp",
        ("tiktok-seller", 2),
        "Memandu memotret ulang KTP dengan cahaya cukup; unggahan masih gagal karena foto buram.",
        False,
    ),
    (
        7,
        3,
        "visit",
        ("tiktok-seller", 2),
        "Kunjungan rumah: KTP ditolak karena rusak; disarankan mengurus KTP-el di kecamatan.",
        False,
    ),
    (
        3,
        1,
        "visit",
        ("tiktok-seller", 2),
        "Membantu mengunggah ulang KTP; verifikasi diterima.",
        True,
    ),
    (
        19,
        5,
        "phone",
        ("tiktok-kreator", 9),
        "Menelepon untuk cek status; permintaan masih menunggu persetujuan seller.",
        False,
    ),
]
TRAINING_DAY = dt.datetime(2023, 8, 5, 11, 0)
