"""Names people type for the catalog's codes, in Kazakh, Russian and English.

Data only (bot.domain.vocabulary builds the lookup). Spelling variants that folding
already unifies need not be listed: case, punctuation, Kazakh/Russian letters, Kazakh
Latin, plural or singular ("ЧС", "чс", "Ч.С."; "Karaganda"/"Караганда"; "emergency"/
"emergencies"). The catalog's own names in every language are added from the message
catalogs as well, so a button's label typed by hand always works.
"""

from __future__ import annotations

# --- regions -------------------------------------------------------------------------------
# Words saying "a city" or "a region": dropped from the name, but they choose between a
# city and the region around it that share one name (Almaty / Almaty Region).
CITY_WORDS = ("город", "гор", "г", "қала", "қаласы", "city", "town", "shahar", "шаһар")
REGION_WORDS = ("область", "обл", "облыс", "облысы", "oblast", "oblys", "region", "province", "аймақ", "аймағы")
# Dropped everywhere: prepositions and filler people put around a name.
FILLER_WORDS = (
    "в", "во", "из", "на", "по", "у", "я", "мне", "мой", "моя", "мои", "живу", "проживаю",
    "in", "from", "the", "of", "at", "i", "live", "my", "and",
    "мен", "тұрамын", "қаласында", "облысында", "менің",
)

# code -> names. "city" names are the city (or a city inside the region), "region" names
# the region; a bare name that two codes share (Almaty) is asked about in the dialog.
REGION_CITY_NAMES: dict[str, tuple[str, ...]] = {
    "KZ-71": ("Астана", "Astana", "Нур-Султан", "Нурсултан", "Nur-Sultan", "Nursultan", "Целиноград", "Tselinograd"),
    "KZ-75": ("Алматы", "Almaty", "Алма-Ата", "Alma-Ata", "Алмата", "Almata", "Алматы қаласы", "Almaty qalasy"),
    "KZ-79": ("Шымкент", "Shymkent", "Чимкент", "Chimkent", "Шымкент қаласы", "Shymkent qalasy"),
    "KZ-10": ("Семей", "Semey", "Семипалатинск", "Semipalatinsk", "Аягоз", "Курчатов"),
    "KZ-11": ("Кокшетау", "Көкшетау", "Kokshetau", "Щучинск", "Степногорск"),
    "KZ-15": ("Актобе", "Ақтөбе", "Aktobe", "Aqtobe", "Актюбинск", "Aktyubinsk"),
    "KZ-19": ("Конаев", "Қонаев", "Konaev", "Kunaev", "Капчагай", "Қапшағай", "Kapchagay", "Талгар", "Каскелен",
              "Қаскелең", "Есик", "Есік"),
    "KZ-23": ("Атырау", "Atyrau", "Гурьев"),
    "KZ-63": ("Усть-Каменогорск", "Өскемен", "Оскемен", "Oskemen", "Ust-Kamenogorsk", "Риддер", "Ridder"),
    "KZ-31": ("Тараз", "Taraz", "Джамбул", "Жамбыл", "Zhambyl", "Jambyl"),
    "KZ-33": ("Талдыкорган", "Талдықорған", "Taldykorgan", "Taldyqorgan", "Жаркент", "Текели"),
    "KZ-35": ("Караганда", "Қарағанды", "Karaganda", "Qaragandy", "Темиртау", "Теміртау", "Temirtau", "Балхаш",
              "Балқаш", "Balkhash"),
    "KZ-39": ("Костанай", "Қостанай", "Kostanay", "Qostanai", "Кустанай", "Рудный", "Rudny"),
    "KZ-43": ("Кызылорда", "Қызылорда", "Kyzylorda", "Qyzylorda", "Кзыл-Орда"),
    "KZ-47": ("Актау", "Ақтау", "Aktau", "Aqtau", "Жанаозен", "Жаңаөзен", "Zhanaozen"),
    "KZ-59": ("Петропавловск", "Петропавл", "Petropavl", "Petropavlovsk"),
    "KZ-55": ("Павлодар", "Pavlodar", "Экибастуз", "Екібастұз", "Ekibastuz", "Аксу"),
    "KZ-61": ("Туркестан", "Түркістан", "Turkistan", "Turkestan", "Кентау", "Kentau"),
    "KZ-62": ("Жезказган", "Жезқазған", "Zhezkazgan", "Jezkazgan", "Сатпаев", "Сәтбаев", "Satbayev"),
    "KZ-27": ("Уральск", "Орал", "Oral", "Uralsk"),
}
REGION_NAMES: dict[str, tuple[str, ...]] = {
    "KZ-71": ("Astana", "Астана"),
    "KZ-75": ("Almaty", "Алматы"),
    "KZ-79": ("Shymkent", "Шымкент"),
    "KZ-10": ("Abai Region", "Абайская область", "Абай облысы", "Abay oblysy", "Абай", "Abai", "Abay"),
    "KZ-11": ("Akmola Region", "Акмолинская область", "Ақмола облысы", "Akmola", "Aqmola", "Ақмола", "Акмола"),
    "KZ-15": ("Aktobe Region", "Актюбинская область", "Ақтөбе облысы", "Aqtobe oblysy"),
    "KZ-19": ("Almaty Region", "Алматинская область", "Алматы облысы", "Almaty oblysy", "Алматинская"),
    "KZ-23": ("Atyrau Region", "Атырауская область", "Атырау облысы"),
    "KZ-63": ("East Kazakhstan Region", "Восточно-Казахстанская область", "Шығыс Қазақстан облысы", "ВКО", "ШҚО",
              "East Kazakhstan", "Шығыс Қазақстан", "Shygys Qazaqstan"),
    "KZ-31": ("Jambyl Region", "Жамбылская область", "Жамбыл облысы", "Zhambyl Region"),
    "KZ-33": ("Jetisu Region", "Область Жетісу", "Область Жетысу", "Жетісу облысы", "Жетысу", "Жетісу", "Jetisu",
              "Zhetysu"),
    "KZ-35": ("Karaganda Region", "Карагандинская область", "Қарағанды облысы", "Qaragandy oblysy"),
    "KZ-39": ("Kostanay Region", "Костанайская область", "Қостанай облысы"),
    "KZ-43": ("Kyzylorda Region", "Кызылординская область", "Қызылорда облысы"),
    "KZ-47": ("Mangystau Region", "Мангистауская область", "Маңғыстау облысы", "Мангистау", "Маңғыстау",
              "Mangystau", "Mangistau"),
    "KZ-59": ("North Kazakhstan Region", "Северо-Казахстанская область", "Солтүстік Қазақстан облысы", "СКО", "СҚО",
              "North Kazakhstan", "Солтүстік Қазақстан", "Soltustik Qazaqstan"),
    "KZ-55": ("Pavlodar Region", "Павлодарская область", "Павлодар облысы"),
    "KZ-61": ("Turkistan Region", "Туркестанская область", "Түркістан облысы"),
    "KZ-62": ("Ulytau Region", "Область Ұлытау", "Область Улытау", "Ұлытау облысы", "Улытау", "Ұлытау", "Ulytau"),
    "KZ-27": ("West Kazakhstan Region", "Западно-Казахстанская область", "Батыс Қазақстан облысы", "ЗКО", "БҚО",
              "West Kazakhstan", "Батыс Қазақстан", "Batys Qazaqstan"),
}
# Names that really are two regions: South Kazakhstan was the region around Shymkent
# until 2018, when Shymkent became a city of its own and the rest Turkistan Region.
SHARED_REGION_NAMES: dict[str, tuple[str, ...]] = {
    "Южно-Казахстанская область": ("KZ-61", "KZ-79"),
    "ЮКО": ("KZ-61", "KZ-79"),
    "ОҚО": ("KZ-61", "KZ-79"),
    "Оңтүстік Қазақстан": ("KZ-61", "KZ-79"),
    "South Kazakhstan": ("KZ-61", "KZ-79"),
}

# --- directions, skills, availability ---------------------------------------------------------
DIRECTION_NAMES: dict[str, tuple[str, ...]] = {
    "health": ("Health care", "healthcare", "health", "Здравоохранение", "здоровье", "медицина", "хоспис", "хосписы",
               "онкология", "больницы", "Денсаулық сақтау", "денсаулық", "hospice", "hospital", "medicine"),
    "ecology": ("Ecology", "environment", "nature", "Экология", "эко", "природа", "посадка деревьев",
                "сортировка мусора", "экологиялық", "табиғат", "ағаш отырғызу", "tree planting", "eco"),
    "heritage": ("Historical and cultural heritage", "heritage", "culture", "history", "Историко-культурное наследие",
                 "наследие", "культура", "история", "культурное наследие", "Тарихи-мәдени мұра", "мұра", "мәдениет",
                 "тарих", "мәдени мұра"),
    "emergency": ("Emergencies and search", "emergencies", "emergency", "search", "search and rescue", "rescue",
                  "ЧС и поиск людей", "ЧС", "чрезвычайные ситуации", "поисково-спасательные",
                  "поисково-спасательные работы", "поиск людей", "поиск пропавших", "поиск", "спасатели",
                  "Төтенше жағдайлар және іздеу", "төтенше жағдайлар", "ТЖ", "іздеу", "іздестіру-құтқару",
                  "құтқару"),
    "mentoring": ("Mentoring children", "mentoring", "mentor", "children", "orphans", "Наставничество детей",
                  "наставничество", "наставник", "дети", "детские дома", "Балаларға тәлімгерлік", "тәлімгерлік",
                  "тәлімгер", "балалар"),
    "elderly": ("Elderly care", "elderly", "older people", "senior citizens", "Забота о пожилых", "пожилые",
                "пожилые люди", "уход за пожилыми", "старшее поколение", "Қарттарға күтім", "қарттар",
                "егде адамдар"),
    "education": ("Education", "tutoring", "schools", "Образование", "репетиторство", "просвещение",
                  "Білім беру", "білім"),
    "social": ("Social support", "social", "social help", "Социальная помощь", "социальная поддержка", "соцпомощь",
               "социалка", "Әлеуметтік көмек", "әлеуметтік"),
}
SKILL_NAMES: dict[str, tuple[str, ...]] = {
    "medical": ("First aid or medical", "first aid", "medical", "doctor", "nurse", "medic", "Первая помощь или медицина",
                "первая помощь", "медицина", "медик", "врач", "медсестра", "Алғашқы көмек не медицина",
                "Алғашқы көмек немесе медицина", "алғашқы көмек", "дәрігер", "медбике"),
    "driving": ("Car and driving licence", "driving", "driver", "car", "driving licence", "driver's license",
                "Автомобиль и права", "водитель", "автомобиль", "машина", "права", "водительские права",
                "Көлік және жүргізуші куәлігі", "көлік", "жүргізуші"),
    "psychology": ("Psychology", "psychologist", "Психология", "психолог", "Психология", "психолог"),
    "languages": ("Foreign languages", "languages", "translation", "translator", "interpreter",
                  "Иностранные языки", "языки", "перевод", "переводчик", "Шет тілдері", "аудармашы", "аударма"),
    "it": ("IT", "айти", "ай-ти", "programming", "programmer", "computers", "программирование", "программист",
           "компьютеры", "бағдарламалау"),
    "media": ("Photo and video", "photo", "video", "photography", "SMM", "media", "Фото и видео", "фото", "видео",
              "фотограф", "видеограф", "съёмка", "медиа", "Фото және видео", "фото түсіру"),
    "cooking": ("Cooking", "cook", "chef", "Кулинария", "готовка", "повар", "готовить", "Аспаздық", "аспаз"),
    "construction": ("Construction", "builder", "repair", "Строительство", "строитель", "стройка", "ремонт",
                     "Құрылыс", "құрылысшы", "жөндеу"),
    "teaching": ("Teaching", "teacher", "tutor", "Преподавание", "учитель", "педагог", "преподаватель", "репетитор",
                 "Оқыту", "мұғалім", "ұстаз"),
    "legal": ("Legal", "lawyer", "law", "legal aid", "Юриспруденция", "юрист", "юридическая помощь", "Заң",
              "заңгер", "құқық"),
}
AVAILABILITY_NAMES: dict[str, tuple[str, ...]] = {
    "weekdays": ("Weekdays", "weekday", "workdays", "working days", "Будни", "будние дни", "рабочие дни",
                 "в будни", "днём в будни", "Жұмыс күндері", "жұмыс күні", "аптаның ішінде"),
    "evenings": ("Weekday evenings", "evenings", "evening", "after work", "Вечера будней", "вечера", "вечером",
                 "по вечерам", "вечера в будни", "после работы", "Жұмыс күндерінің кештері",
                 "жұмыс күндері кешке", "кешке", "кештер", "жұмыстан кейін"),
    "weekends": ("Weekends", "weekend", "saturday", "sunday", "Выходные", "выходные дни", "суббота", "воскресенье",
                 "Демалыс күндері", "демалыс", "сенбі", "жексенбі", "сенбі-жексенбі"),
    "emergency": ("Any time for emergencies", "any time", "anytime", "24/7", "emergencies", "В любое время при ЧС",
                  "в любое время", "круглосуточно", "при ЧС", "в ЧС", "ЧС", "всегда",
                  "Төтенше жағдайда кез келген уақытта", "кез келген уақытта", "кез келген уақыт", "әрқашан", "ТЖ"),
}

# --- spoken languages ------------------------------------------------------------------------
# Words around a language's name: "русский язык", "қазақ тілі", "на английском".
LANGUAGE_FILLER_WORDS = ("язык", "языки", "языке", "тілі", "тіл", "тілде", "language", "languages", "speak", "говорю",
                         "владею", "знаю", "сөйлеймін", "білемін")
# Forms the CLDR names (from Babel) do not give.
LANGUAGE_NAMES: dict[str, tuple[str, ...]] = {
    "kk": ("қазақша", "казахша", "по-казахски", "казахский", "Qazaq", "Qazaqsha", "Kazakh", "каз", "kaz"),
    "ru": ("орысша", "по-русски", "русский", "Russian", "рус", "rus", "orysha"),
    "en": ("ағылшынша", "по-английски", "английский", "English", "англ", "eng", "agylshynsha"),
    "uz": ("өзбекше", "по-узбекски", "Ozbek", "Oʻzbek", "oʻzbek tili", "ўзбек тили"),
    "ky": ("қырғызша", "по-киргизски", "кыргызский", "Kyrgyz", "кыргызча", "кыргыз тили"),
    "tr": ("түрікше", "по-турецки", "Türkçe"),
    "de": ("немісше", "по-немецки", "Deutsch"),
    "zh": ("қытайша", "по-китайски", "Mandarin", "中文", "汉语"),
    "ug": ("ұйғырша", "уйгурский", "Uighur", "Uyghur", "ئۇيغۇرچە"),
    "tt": ("татарша", "по-татарски", "татар теле"),
    "tg": ("тәжікше", "по-таджикски", "тоҷикӣ"),
    "az": ("әзірбайжанша", "по-азербайджански", "Azərbaycan dili"),
    "uk": ("украинша", "по-украински", "українська"),
    "be": ("по-белорусски", "беларуская"),
    "ko": ("корейше", "по-корейски", "한국어"),
    "ja": ("жапонша", "по-японски", "日本語"),
    "fr": ("французша", "по-французски", "Français"),
    "es": ("испанша", "по-испански", "Español"),
    "it": ("итальянша", "по-итальянски", "Italiano"),
    "ar": ("арабша", "по-арабски", "العربية"),
    "fa": ("парсыша", "по-персидски", "фарси", "فارسی"),
    "hi": ("по-хиндийски", "हिन्दी"),
    "pl": ("полякша", "по-польски", "polski"),
}

# --- words that work as buttons -----------------------------------------------------------------
DONE_WORDS = ("готово", "готов", "готова", "дальше", "далее", "всё", "все", "ок", "окей", "хорошо", "дайын",
              "болды", "келесі", "әрі қарай", "жарайды", "done", "next", "ok", "okay", "finish", "finished", "ready")
SKIP_WORDS = ("пропустить", "пропуск", "нет", "не хочу", "өткізу", "өткізіп жіберу", "жоқ", "skip", "none", "no")
BACK_WORDS = ("назад", "вернуться", "артқа", "кері", "back", "go back")
