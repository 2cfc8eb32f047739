package http

import "net/http"

// routeTable lists every route of the application. The OpenAPI document is generated from the
// API entries and the authorisation matrix test calls every entry as every role.
func (s *Server) routeTable() []route {
	type h = func(http.ResponseWriter, *http.Request)
	page := func(method, pattern string, p perm, fn h) route {
		return route{Method: method, Pattern: pattern, Perm: p, handler: fn}
	}
	api := func(method, pattern string, p perm, tag, summary, body string, fn h) route {
		return route{Method: method, Pattern: "/api/v1" + pattern, Perm: p, API: true, Tag: tag, Summary: summary, Body: body, handler: fn}
	}
	return []route{
		// Pages.
		page("GET", "/login", permPublic, s.handleLoginForm),
		page("POST", "/login", permPublic, s.handleLogin),
		page("GET", "/login/totp", permPublic, s.handleTOTPForm),
		page("POST", "/login/totp", permPublic, s.handleTOTP),
		page("POST", "/logout", permPublic, s.handleLogout),
		page("GET", "/{$}", permRead, s.handleDashboard),
		page("GET", "/acts", permRead, s.handleActs),
		page("GET", "/acts/{id}", permRead, s.handleAct),
		page("POST", "/acts/{id}/sources", permRecord, s.handleActSource),
		page("GET", "/events", permRead, s.handleEvents),
		page("GET", "/events/new", permRecord, s.handleEventForm),
		page("POST", "/events", permRecord, s.handleEventCreate),
		page("GET", "/events/{id}", permRead, s.handleEvent),
		page("GET", "/people", permRead, s.handlePeople),
		page("POST", "/people", permRecord, s.handlePersonCreate),
		page("GET", "/people/{id}", permRead, s.handlePerson),
		page("POST", "/people/{id}/consent", permRecord, s.handleConsent),
		page("GET", "/sources", permRead, s.handleSources),
		page("POST", "/sources", permRecord, s.handleSourceCreate),
		page("GET", "/sources/{id}", permRead, s.handleSource),
		page("POST", "/sources/{id}/evidence", permRecord, s.handleEvidenceUpload),
		page("GET", "/evidence/{id}/file", permRead, s.handleEvidenceDownload),
		page("GET", "/testimonies", permRead, s.handleTestimonies),
		page("POST", "/testimonies", permRecord, s.handleTestimonyCreate),
		page("GET", "/testimonies/{id}", permRead, s.handleTestimony),
		page("POST", "/testimonies/{id}/passages", permRecord, s.handlePassageCreate),
		page("GET", "/search", permRead, s.handleSearchForm),
		page("POST", "/search", permRead, s.handleSearch),
		page("GET", "/indicators", permRead, s.handleIndicators),
		page("GET", "/acts/{id}/assess", permRead, s.handleWorkspace),
		page("POST", "/acts/{id}/assess", permAssess, s.handleAssessSave),
		page("GET", "/assessments/{id}", permRead, s.handleAssessment),
		page("POST", "/assessments/{id}/review", permReview, s.handleReview),
		page("GET", "/audit", permAdmin, s.handleAudit),
		page("GET", "/admin/users", permAdmin, s.handleUsers),
		page("POST", "/admin/users", permAdmin, s.handleUserCreate),
		page("POST", "/admin/users/{id}", permAdmin, s.handleUserUpdate),
		page("GET", "/account", permRead, s.handleAccount),
		page("POST", "/account/lang", permRead, s.handleAccountLang),
		page("POST", "/account/password", permRead, s.handleAccountPassword),
		page("POST", "/account/totp", permRead, s.handleAccountTOTP),
		page("POST", "/account/tokens", permRead, s.handleTokenCreate),
		page("POST", "/account/tokens/{id}/delete", permRead, s.handleTokenDelete),

		// JSON API.
		api("GET", "/openapi.json", permPublic, "meta", "This document", "", s.handleOpenAPI),
		api("GET", "/me", permRead, "meta", "The calling user", "", s.apiMe),
		api("GET", "/vocabularies", permRead, "meta", "Controlled vocabularies", "", s.apiVocabularies),
		api("GET", "/stats/acts", permRead, "meta", "Act counts by a dimension (?by=domain|setting|region|year|type|perpetrator_type)", "", s.apiStats),

		api("GET", "/persons", permRead, "persons", "List people", "", s.apiPersons),
		api("POST", "/persons", permRecord, "persons", "Create a person", "Person", s.apiPersonCreate),
		api("GET", "/persons/{id}", permRead, "persons", "Get a person", "", s.apiPerson),
		api("PATCH", "/persons/{id}", permRecord, "persons", "Change a person", "PersonUpdate", s.apiPersonUpdate),
		api("DELETE", "/persons/{id}", permRecord, "persons", "Delete a person", "", s.apiPersonDelete),
		api("GET", "/persons/{id}/consent", permRead, "persons", "A person's effective consent", "", s.apiConsent),
		api("POST", "/persons/{id}/consents", permRecord, "persons", "Record a consent", "Consent", s.apiConsentCreate),

		api("GET", "/sources", permRead, "sources", "List sources", "", s.apiSources),
		api("POST", "/sources", permRecord, "sources", "Create a source", "Source", s.apiSourceCreate),
		api("GET", "/sources/{id}", permRead, "sources", "Get a source", "", s.apiSource),
		api("PATCH", "/sources/{id}", permRecord, "sources", "Change a source", "SourceUpdate", s.apiSourceUpdate),
		api("DELETE", "/sources/{id}", permRecord, "sources", "Delete a source", "", s.apiSourceDelete),
		api("POST", "/sources/{id}/evidence", permRecord, "sources", "Upload an evidence file (multipart field file)", "", s.apiEvidenceUpload),
		api("GET", "/evidence", permRead, "sources", "List evidence items", "", s.apiEvidenceList),
		api("GET", "/evidence/{id}", permRead, "sources", "Get an evidence item", "", s.apiEvidence),
		api("GET", "/evidence/{id}/file", permRead, "sources", "Download an evidence file", "", s.handleEvidenceDownload),

		api("GET", "/testimonies", permRead, "testimonies", "List testimonies", "", s.apiTestimonies),
		api("POST", "/testimonies", permRecord, "testimonies", "Create a testimony", "Testimony", s.apiTestimonyCreate),
		api("GET", "/testimonies/{id}", permRead, "testimonies", "Get a testimony", "", s.apiTestimony),
		api("PATCH", "/testimonies/{id}", permRecord, "testimonies", "Change a testimony", "TestimonyUpdate", s.apiTestimonyUpdate),
		api("DELETE", "/testimonies/{id}", permRecord, "testimonies", "Delete a testimony", "", s.apiTestimonyDelete),

		api("GET", "/events", permRead, "events", "List events", "", s.apiEvents),
		api("POST", "/events", permRecord, "events", "Create an event, optionally with its victims, perpetrators and acts in one all-or-nothing write", "EventWithActs", s.apiEventCreate),
		api("GET", "/events/{id}", permRead, "events", "Get an event", "", s.apiEvent),
		api("PATCH", "/events/{id}", permRecord, "events", "Change an event", "EventUpdate", s.apiEventUpdate),
		api("DELETE", "/events/{id}", permRecord, "events", "Delete an event with its acts", "", s.apiEventDelete),

		api("GET", "/acts", permRead, "acts", "List acts", "", s.apiActs),
		api("POST", "/acts", permRecord, "acts", "Create an act", "Act", s.apiActCreate),
		api("GET", "/acts/{id}", permRead, "acts", "Get an act", "", s.apiAct),
		api("PATCH", "/acts/{id}", permRecord, "acts", "Change an act", "ActUpdate", s.apiActUpdate),
		api("DELETE", "/acts/{id}", permRecord, "acts", "Delete an act", "", s.apiActDelete),

		api("GET", "/information", permRead, "links", "List information links (?source_id, event_id, act_id)", "", s.apiInformation),
		api("POST", "/information", permRecord, "links", "Link a source to an event or act", "Information", s.apiInformationCreate),
		api("DELETE", "/information/{id}", permRecord, "links", "Delete an information link", "", s.apiInformationDelete),
		api("GET", "/interventions", permRead, "links", "List interventions (?act_id, event_id)", "", s.apiInterventions),
		api("POST", "/interventions", permRecord, "links", "Record an intervention", "Intervention", s.apiInterventionCreate),
		api("DELETE", "/interventions/{id}", permRecord, "links", "Delete an intervention", "", s.apiInterventionDelete),

		api("GET", "/indicators", permRead, "indicators", "List indicators", "", s.apiIndicators),
		api("POST", "/indicators", permRecord, "indicators", "Create an indicator", "Indicator", s.apiIndicatorCreate),
		api("GET", "/indicators/{id}", permRead, "indicators", "Get an indicator", "", s.apiIndicator),
		api("DELETE", "/indicators/{id}", permRecord, "indicators", "Delete an indicator", "", s.apiIndicatorDelete),

		api("GET", "/frameworks", permRead, "assessment", "Legal frameworks the engine knows", "", s.apiFrameworks),
		api("GET", "/frameworks/{name}", permRead, "assessment", "A framework's element questions", "", s.apiFramework),
		api("POST", "/assess", permRead, "assessment", "Run the engine on an act and answers without storing", "AssessRequest", s.apiAssess),
		api("GET", "/assessments", permRead, "assessment", "List assessments (?act_id, framework, status, latest)", "", s.apiAssessments),
		api("POST", "/assessments", permAssess, "assessment", "Compute and store a new assessment version", "AssessRequest", s.apiAssessmentCreate),
		api("GET", "/assessments/{id}", permRead, "assessment", "Get an assessment version", "", s.apiAssessment),
		api("POST", "/assessments/{id}/review", permReview, "assessment", "Sign off an assessment", "Review", s.apiReview),

		api("POST", "/search", permRead, "search", "Full-text search with facets", "SearchRequest", s.apiSearch),

		api("GET", "/users", permAdmin, "admin", "List users", "", s.apiUsers),
		api("POST", "/users", permAdmin, "admin", "Create a user", "NewUser", s.apiUserCreate),
		api("GET", "/audit", permAdmin, "admin", "Read the audit log", "", s.apiAudit),
		api("GET", "/tokens", permRead, "meta", "The calling user's API tokens", "", s.apiTokens),
		api("POST", "/tokens", permRead, "meta", "Make an API token (the secret is in the answer, once)", "NewToken", s.apiTokenCreate),
		api("DELETE", "/tokens/{id}", permRead, "meta", "Delete an API token", "", s.apiTokenDelete),
	}
}
