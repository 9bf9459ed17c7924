"""Built-in survey templates a coordinator can start from.

Text in Bahasa Indonesia: these are asked in the villages as written.
"""

from surveys.enums import QuestionKind, SurveyKind

EVALUATION_TIKTOK = {
    "kind": SurveyKind.EVALUATION,
    "title": "Evaluasi pelatihan TikTok Affiliate",
    "intro": "Jawab dengan jujur; jawaban membantu kami memperbaiki pelatihan berikutnya.",
    "questions": [
        {"kind": QuestionKind.YES_NO, "text": "Apakah Ibu sudah menginstal aplikasi TikTok?"},
        {
            "kind": QuestionKind.YES_NO,
            "text": "Apakah Ibu sudah berhasil membuat akun TikTok Affiliate?",
        },
        {"kind": QuestionKind.YES_NO, "text": "Apakah Ibu bisa membuat konten video di TikTok?"},
        {
            "kind": QuestionKind.SCALE,
            "text": "Seberapa bermanfaat pelatihan ini bagi Ibu?",
            "help_text": "1 = tidak bermanfaat, 5 = sangat bermanfaat",
            "required": False,
        },
        {
            "kind": QuestionKind.LONG_TEXT,
            "text": "Kendala atau saran untuk pelatihan berikutnya",
            "required": False,
        },
    ],
}

KNOWLEDGE_TIKTOK = {
    "kind": SurveyKind.PRE_TEST,
    "title": "Tes pengetahuan TikTok Affiliate",
    "intro": "Pilih jawaban yang menurut Ibu benar. Tidak apa-apa jika belum tahu.",
    "questions": [
        {
            "kind": QuestionKind.SINGLE,
            "text": "Siapa yang memberi komisi kepada affiliator?",
            "options": "Pembeli\n*Seller atau merchant, lewat TikTok\nPemerintah desa",
        },
        {
            "kind": QuestionKind.YES_NO,
            "text": "Apakah kreator affiliate perlu rekening bank atas nama sendiri?",
            "options": "*Ya\nTidak",
        },
        {
            "kind": QuestionKind.SINGLE,
            "text": "Jalur mana yang tidak mensyaratkan 2.000 pengikut?",
            "options": "Kreator\n*Seller",
        },
        {
            "kind": QuestionKind.MULTIPLE,
            "text": "Dokumen apa yang diminta saat verifikasi seller?",
            "options": "*KTP\nKartu Keluarga\nIjazah",
        },
    ],
}

LIBRARY = {"evaluasi-tiktok": EVALUATION_TIKTOK, "tes-pengetahuan-tiktok": KNOWLEDGE_TIKTOK}
