package http

import "strings"

// The interface speaks English and Russian. Strings are written in English in the templates and
// translated here; a string without a translation shows in English. Keys with a prefix ("role:",
// "status:", …) name codes and have an English label of their own.

var english = map[string]string{
	"role:admin": "admin", "role:documenter": "documenter", "role:analyst": "analyst", "role:reviewer": "reviewer", "role:viewer": "viewer",
	"status:draft": "draft", "status:reviewed": "reviewed",
	"kind:act": "act", "kind:event": "event", "kind:testimony": "testimony", "kind:source": "source",
	"facet:kind": "Record", "facet:domain": "Domain", "facet:setting": "Setting", "facet:act_type": "Act type",
	"facet:perpetrator_type": "Perpetrator type", "facet:region": "Region", "facet:year": "Year",
	"precision:exact": "exact day", "precision:month": "month", "precision:year": "year", "precision:estimate": "estimate",
	"precision:range": "range", "precision:unknown": "unknown",
	"strength:alleged": "alleged", "strength:corroborated": "corroborated", "strength:medically_consistent": "medically consistent",
	"strength:established": "established",
	"consent:internal":     "internal only", "consent:anonymised": "anonymised advocacy", "consent:un_submission": "UN submission",
	"consent:named_publication": "named publication",
}

var russian = map[string]string{
	"Dashboard": "Обзор", "Events": "События", "Acts": "Нарушения", "People": "Люди", "Sources": "Источники",
	"Testimonies": "Свидетельства", "Indicators": "Показатели", "Search": "Поиск", "Audit log": "Журнал аудита", "Users": "Пользователи",
	"Log out": "Выйти", "Log in": "Войти", "User name": "Имя пользователя", "Password": "Пароль", "Second factor": "Второй фактор",
	"Code from your authenticator app": "Код из приложения-аутентификатора", "Continue": "Продолжить",
	"acts": "нарушений", "events": "событий", "people": "человек", "sources": "источников", "testimonies": "свидетельств", "assessments": "оценок",
	"Record an event": "Записать событие", "Record consent": "Записать согласие", "Record kind": "Вид записи", "Record ID": "ID записи", "history": "история", "Add acts to": "Добавить нарушения к событию", "Add acts to this event": "Добавить нарушения к событию", "Scope": "Объём",
	"Given on (YYYY-MM-DD)": "Дано (ГГГГ-ММ-ДД)", "How obtained": "Как получено", "Withdraw consent": "Отозвать согласие",
	"Link a source or testimony": "Связать с источником или свидетельством", "Source ID": "ID источника",
	"Testimony ID (its source is used when none is given)": "ID свидетельства (если источник не указан, берётся его источник)",
	"Connection": "Связь", "Page, paragraph or footnote": "Страница, абзац или сноска", "Link": "Связать", "Counted at": "Подсчитано", "Acts by domain": "Нарушения по сферам", "Acts by setting": "Нарушения по месту",
	"Acts by perpetrator type": "Нарушения по типу исполнителя", "Acts by year": "Нарушения по годам", "Acts by region": "Нарушения по регионам",
	"not recorded": "не указано", "No acts recorded yet.": "Нарушений пока нет.", "Counts are not available.": "Подсчёт недоступен.",
	"Act type": "Вид нарушения", "Domain": "Сфера", "Setting": "Место", "Perpetrator type": "Тип исполнителя", "Year": "Год",
	"Filter": "Отобрать", "Act": "Нарушение", "Date": "Дата", "Perpetrators": "Исполнители", "confidential": "конфиденциально",
	"Nothing here yet.": "Здесь пока ничего нет.", "Event": "Событие", "Victim": "Пострадавший", "Method": "Способ",
	"Consequences": "Последствия", "Description": "Описание", "Recorded by": "Записал(а)", "Degree": "Степень участия", "Person": "Лицо",
	"Assessments": "Оценки", "Framework": "Правовая основа", "Version": "Версия", "Status": "Статус", "Outcomes": "Выводы",
	"Not assessed yet.": "Ещё не оценено.", "Assess against": "Оценить по", "testimony": "свидетельство", "Interventions": "Меры",
	"Title": "Название", "Region": "Регион", "City": "Город",
	"One event, its victims, its perpetrators and every act, saved together. Rows left blank are ignored.": "Одно событие, его пострадавшие, исполнители и все нарушения сохраняются вместе. Пустые строки не учитываются.",
	"Date precision": "Точность даты", "from the date": "по дате", "Date (YYYY, YYYY-MM or YYYY-MM-DD)": "Дата (ГГГГ, ГГГГ-ММ или ГГГГ-ММ-ДД)",
	"until (for a range)": "по (для периода)", "Confidential: only I, reviewers and admins see these records": "Конфиденциально: записи видят только я, рецензенты и администраторы",
	"Victims": "Пострадавшие", "Pseudonymous descriptor": "Псевдонимное описание", "e.g. Male drug user, 29, Volgograd": "напр. Мужчина, употребляет наркотики, 29, Волгоград",
	"Sex": "Пол", "Age": "Возраст", "or an existing person's ID": "или ID существующего лица", "Add a victim": "Добавить пострадавшего",
	"Descriptor, if the individual is known": "Описание, если лицо известно", "Add a perpetrator": "Добавить исполнителя",
	"Setting, if not the event's": "Место, если не как у события", "Who took part, and how": "Кто участвовал и как", "not involved": "не участвовал",
	"Add an act": "Добавить нарушение", "Save the event and its acts": "Сохранить событие и нарушения",
	"Only pseudonymous descriptors are kept here; real names live in the identity vault.": "Здесь хранятся только псевдонимные описания; настоящие имена — в хранилище личных данных.",
	"Add a person": "Добавить лицо", "Characteristics": "Характеристики", "Notes": "Примечания", "Confidential": "Конфиденциально", "Save": "Сохранить",
	"Descriptor": "Описание", "Consent": "Согласие", "withdrawn": "отозвано", "none recorded": "не записано",
	"Acts against this person": "Нарушения в отношении лица", "Add a source": "Добавить источник", "Kind": "Вид", "Citation": "Ссылка",
	"Author": "Автор", "Outlet": "Издание", "Published": "Опубликовано", "Language": "Язык", "Reliability": "Надёжность", "Quote": "Цитата",
	"Evidence": "Доказательства", "File": "Файл", "Type": "Тип", "Size": "Размер", "Added": "Добавлено", "Upload": "Загрузить",
	"PDF, image, audio, video, plain text or ZIP; at most": "PDF, изображение, аудио, видео, текст или ZIP; не более",
	"What this source says about":                          "О чём сообщает источник", "Add a testimony": "Добавить свидетельство", "Given by (person ID)": "Дал(а) (ID лица)",
	"Recorded in (source ID)": "Записано в (ID источника)", "Interviewer": "Интервьюер", "Place": "Место", "Narrative": "Рассказ",
	"Testimony": "Свидетельство", "Passages": "Фрагменты", "Given by": "Дал(а)", "Source": "Источник", "Translation": "Перевод",
	"Passage": "Фрагмент", "Note": "Заметка", "Select text in the narrative, or paste the exact words of the passage here.": "Выделите текст в рассказе или вставьте сюда точные слова фрагмента.",
	"Occurrence (if the words appear more than once)": "Какое вхождение (если слова встречаются не раз)", "Mark the passage": "Отметить фрагмент",
	"found": "найдено", "confidential hits not shown": "конфиденциальных результатов скрыто", "Nothing found.": "Ничего не найдено.",
	"Indicator": "Показатель", "Value": "Значение", "Unit": "Единица", "Geography": "География",
	"Assessment workspace": "Рабочее место оценки", "Computed outcome": "Вычисленный вывод", "contested": "спорно", "Open questions": "Открытые вопросы",
	"What is missing": "Чего не хватает", "Version history": "История версий", "By": "Автор", "Reviewer": "Рецензент", "Guidance": "Пояснение",
	"not answered": "нет ответа", "Evidence strength": "Сила доказательств", "strength": "сила", "Justification": "Обоснование",
	"Cite passages": "Сослаться на фрагменты", "Note for the reviewer": "Заметка для рецензента", "Compute the outcome": "Вычислить вывод",
	"Save as a new version": "Сохранить новую версию", "Assessment": "Оценка", "Open in the workspace": "Открыть в рабочем месте",
	"Pack version": "Версия пакета", "Answers": "Ответы", "Element": "Элемент", "Answer": "Ответ", "Strength": "Сила",
	"Reviewer's note": "Заметка рецензента", "Sign off": "Утвердить", "When": "Когда", "Who": "Кто", "Action": "Действие", "Record": "Запись", "Hash": "Хеш",
	"Password for": "Пароль для", "give it to them safely; it is not shown again.": "передайте его надёжно; он больше не будет показан.",
	"Name": "Имя", "Role": "Роль", "Last login": "Последний вход", "disabled": "отключён", "Change": "Изменить", "Reset password": "Сбросить пароль",
	"Enable": "Включить", "Disable": "Отключить", "Add a user": "Добавить пользователя", "Add": "Добавить", "Account": "Учётная запись",
	"Current password": "Текущий пароль", "New password (at least 10 characters)": "Новый пароль (не менее 10 символов)", "Change the password": "Сменить пароль",
	"Add this key to your authenticator app, then type the code it shows.": "Добавьте этот ключ в приложение-аутентификатор и введите показанный код.",
	"Code": "Код", "Turn on": "Включить", "The second factor is on.": "Второй фактор включён.", "Turn off": "Выключить",
	"Set up a second factor": "Настроить второй фактор", "API tokens": "API-токены", "Made": "Создан", "Last used": "Использован", "Delete": "Удалить",
	"Make a token": "Создать токен", "Scripts send the token as: Authorization: Bearer TOKEN, to": "Скрипты передают токен так: Authorization: Bearer TOKEN, по адресу",
	"The token was made. Copy it now: it is not shown again.": "Токен создан. Скопируйте его сейчас: он больше не будет показан.",
	"Saved.": "Сохранено.", "The assessment is signed off.": "Оценка утверждена.", "The password is changed.": "Пароль изменён.",
	"The second factor is off.": "Второй фактор выключен.", "The file is stored.": "Файл сохранён.", "The user is saved.": "Пользователь сохранён.",
	"You are logged out.": "Вы вышли.", "Error": "Ошибка",
	"The user name or password is wrong.":                      "Неверное имя пользователя или пароль.",
	"Too many failed attempts. Wait 15 minutes and try again.": "Слишком много неудачных попыток. Подождите 15 минут.",
	"The code is wrong or has expired.":                        "Код неверен или устарел.", "there is no such page": "такой страницы нет",
	"log in first": "сначала войдите", "your role may not do this": "вашей роли это не разрешено",
	"the form has expired: reload the page and try again": "форма устарела: обновите страницу и попробуйте снова", "internal error": "внутренняя ошибка", "an assessment is signed off by someone other than its author": "оценку утверждает не её автор",
	"role:admin": "администратор", "role:documenter": "документатор", "role:analyst": "аналитик", "role:reviewer": "рецензент", "role:viewer": "читатель",
	"status:draft": "черновик", "status:reviewed": "утверждено",
	"kind:act": "нарушение", "kind:event": "событие", "kind:testimony": "свидетельство", "kind:source": "источник",
	"facet:kind": "Запись", "facet:domain": "Сфера", "facet:setting": "Место", "facet:act_type": "Вид нарушения",
	"facet:perpetrator_type": "Тип исполнителя", "facet:region": "Регион", "facet:year": "Год",
	"precision:exact": "точный день", "precision:month": "месяц", "precision:year": "год", "precision:estimate": "примерно",
	"precision:range": "период", "precision:unknown": "неизвестно",
	"strength:alleged": "утверждается", "strength:corroborated": "подтверждено", "strength:medically_consistent": "согласуется с медданными",
	"strength:established": "установлено",
	"consent:internal":     "только внутри", "consent:anonymised": "анонимно для адвокации", "consent:un_submission": "доклад в ООН",
	"consent:named_publication": "публикация с описанием",
}

var codePrefixes = map[string]bool{"role": true, "status": true, "kind": true, "facet": true, "precision": true, "strength": true, "consent": true}

// translate returns s in lang: Russian when there is a translation, else English.
func translate(lang, s string) string {
	if lang == "ru" {
		if t, ok := russian[s]; ok {
			return t
		}
	}
	if t, ok := english[s]; ok {
		return t
	}
	if prefix, code, ok := strings.Cut(s, ":"); ok && codePrefixes[prefix] {
		return code // a code without a label
	}
	return s
}
