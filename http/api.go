package http

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"

	"github.com/casefile/casefile"
)

// The JSON API: the same services as the pages, for scripts. Lists answer
// {"items": [...], "total": N, "offset": O, "limit": L}; errors {"error": {"kind", "message"}}.

const maxBody = 4 << 20

// decode reads a JSON body into v, refusing unknown fields so that a misspelt field is an error
// rather than silently ignored.
func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.Is(err, io.EOF):
			return casefile.Errorf(casefile.EINVALID, "", "the request needs a JSON body")
		case errors.As(err, &se):
			return casefile.Errorf(casefile.EINVALID, "", "the body is not valid JSON (at byte %d)", se.Offset)
		case errors.As(err, &te):
			return casefile.Errorf(casefile.EINVALID, "", "field %s: wrong type (want %s)", te.Field, te.Type)
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			return casefile.Errorf(casefile.EINVALID, "", "unknown field %s", strings.TrimPrefix(err.Error(), "json: unknown field "))
		}
		return casefile.Errorf(casefile.EINVALID, "", "the body is not valid JSON")
	}
	return nil
}

type list[T any] struct {
	Items  []T `json:"items"`
	Total  int `json:"total"`
	Offset int `json:"offset"`
	Limit  int `json:"limit"`
	Hidden int `json:"hidden,omitempty"` // confidential records of this page the caller may not see
}

func page(r *http.Request) (offset, limit int) {
	q := r.URL.Query()
	offset = max(atoiDefault(q.Get("offset"), 0), 0)
	limit = atoiDefault(q.Get("limit"), 50)
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	return offset, limit
}

func qstr(r *http.Request, key string) *string {
	if v := r.URL.Query().Get(key); v != "" {
		return &v
	}
	return nil
}

// respondList answers a page of records, without those the caller may not see.
func respondList[T any](w http.ResponseWriter, r *http.Request, items []T, total, offset, limit int, see func(T) bool) {
	out := list[T]{Items: []T{}, Total: total, Offset: offset, Limit: limit}
	for _, it := range items {
		if see == nil || see(it) {
			out.Items = append(out.Items, it)
		} else {
			out.Hidden++
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// respondPage answers a page the list helpers already filtered.
func respondPage[T any](w http.ResponseWriter, items []T, total, offset, limit, hidden int) {
	if items == nil {
		items = []T{}
	}
	writeJSON(w, http.StatusOK, list[T]{Items: items, Total: total, Offset: offset, Limit: limit, Hidden: hidden})
}

// respond answers v, or the error.
func (s *Server) respond(w http.ResponseWriter, r *http.Request, status int, v any, err error) {
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if v == nil {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	writeJSON(w, status, v)
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, callerOf(r).user)
}

func (s *Server) apiVocabularies(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.cfg.Vocab)
}

func (s *Server) apiStats(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Counter == nil {
		s.fail(w, r, casefile.Errorf(casefile.ENOTIMPL, "", "counts are not available on this server"))
		return
	}
	by := r.URL.Query().Get("by")
	c, err := s.cfg.Counter.CountActs(r.Context(), by)
	s.respond(w, r, http.StatusOK, map[string]any{"by": by, "counts": c}, err)
}

// Persons.

func (s *Server) apiPersons(w http.ResponseWriter, r *http.Request) {
	off, lim := page(r)
	ps, total, hid, err := s.listPersons(r, casefile.PersonFilter{Region: qstr(r, "region"), Characteristic: qstr(r, "characteristic"), Offset: off, Limit: lim})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	respondPage(w, ps, total, off, lim, hid)
}

func (s *Server) findPerson(r *http.Request) (*casefile.Person, error) {
	id := r.PathValue("id")
	p, err := s.cfg.Store.FindPersonByID(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if !visible(r, p.Confidential, p.CreatedBy) {
		return nil, hidden("person", id)
	}
	return p, nil
}

func (s *Server) apiPerson(w http.ResponseWriter, r *http.Request) {
	p, err := s.findPerson(r)
	s.respond(w, r, http.StatusOK, p, err)
}

func (s *Server) apiPersonCreate(w http.ResponseWriter, r *http.Request) {
	var p casefile.Person
	if err := decode(r, &p); err != nil {
		s.fail(w, r, err)
		return
	}
	s.respond(w, r, http.StatusCreated, &p, s.cfg.Store.CreatePerson(r.Context(), &p))
}

func (s *Server) apiPersonUpdate(w http.ResponseWriter, r *http.Request) {
	if _, err := s.findPerson(r); err != nil {
		s.fail(w, r, err)
		return
	}
	var u casefile.PersonUpdate
	if err := decode(r, &u); err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.cfg.Store.UpdatePerson(r.Context(), r.PathValue("id"), u)
	s.respond(w, r, http.StatusOK, p, err)
}

func (s *Server) apiPersonDelete(w http.ResponseWriter, r *http.Request) {
	if _, err := s.findPerson(r); err != nil {
		s.fail(w, r, err)
		return
	}
	s.respond(w, r, 0, nil, s.cfg.Store.DeletePerson(r.Context(), r.PathValue("id")))
}

func (s *Server) apiConsent(w http.ResponseWriter, r *http.Request) {
	if _, err := s.findPerson(r); err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.cfg.Store.FindConsent(r.Context(), r.PathValue("id"))
	s.respond(w, r, http.StatusOK, c, err)
}

func (s *Server) apiConsentCreate(w http.ResponseWriter, r *http.Request) {
	if _, err := s.findPerson(r); err != nil {
		s.fail(w, r, err)
		return
	}
	var c casefile.Consent
	if err := decode(r, &c); err != nil {
		s.fail(w, r, err)
		return
	}
	c.PersonID = r.PathValue("id")
	s.respond(w, r, http.StatusCreated, &c, s.cfg.Store.CreateConsent(r.Context(), &c))
}

// Sources and evidence.

func (s *Server) apiSources(w http.ResponseWriter, r *http.Request) {
	off, lim := page(r)
	ss, total, err := s.cfg.Store.FindSources(r.Context(), casefile.SourceFilter{Kind: qstr(r, "kind"), Offset: off, Limit: lim})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	respondList(w, r, ss, total, off, lim, nil)
}

func (s *Server) apiSource(w http.ResponseWriter, r *http.Request) {
	src, err := s.cfg.Store.FindSourceByID(r.Context(), r.PathValue("id"))
	s.respond(w, r, http.StatusOK, src, err)
}

func (s *Server) apiSourceCreate(w http.ResponseWriter, r *http.Request) {
	var src casefile.Source
	if err := decode(r, &src); err != nil {
		s.fail(w, r, err)
		return
	}
	s.respond(w, r, http.StatusCreated, &src, s.cfg.Store.CreateSource(r.Context(), &src))
}

func (s *Server) apiSourceUpdate(w http.ResponseWriter, r *http.Request) {
	var u casefile.SourceUpdate
	if err := decode(r, &u); err != nil {
		s.fail(w, r, err)
		return
	}
	src, err := s.cfg.Store.UpdateSource(r.Context(), r.PathValue("id"), u)
	s.respond(w, r, http.StatusOK, src, err)
}

func (s *Server) apiSourceDelete(w http.ResponseWriter, r *http.Request) {
	s.respond(w, r, 0, nil, s.cfg.Store.DeleteSource(r.Context(), r.PathValue("id")))
}

// allowedMedia are the file types accepted as evidence, by their sniffed content (the name and
// the declared type are not trusted). HTML and scripts are refused: a stored page could run in
// the application's origin when opened.
var allowedMedia = map[string]bool{
	"application/pdf": true, "image/jpeg": true, "image/png": true, "image/gif": true, "image/webp": true, "image/bmp": true,
	"audio/mpeg": true, "audio/wave": true, "audio/aiff": true, "application/ogg": true, "audio/basic": true, "audio/midi": true,
	"video/mp4": true, "video/webm": true, "video/avi": true, "text/plain; charset=utf-8": true, "text/plain; charset=utf-16le": true,
	"text/plain; charset=utf-16be": true, "application/zip": true,
}

// storeUpload streams the multipart field "file" into the evidence store (a "description" field
// counts only when it comes before the file, as the page's form sends it), after checking its
// type from its first bytes (the name and the declared type are not trusted); the size limit is
// enforced on the body as it streams, so memory use does not grow with the file.
func (s *Server) storeUpload(w http.ResponseWriter, r *http.Request) (*casefile.EvidenceItem, error) {
	if s.cfg.Evidence == nil {
		return nil, casefile.Errorf(casefile.ENOTIMPL, "", "evidence upload is not available on this server")
	}
	ctx := r.Context()
	sourceID := r.PathValue("id")
	if _, err := s.cfg.Store.FindSourceByID(ctx, sourceID); err != nil {
		return nil, err
	}
	tooBig := casefile.Errorf(casefile.EINVALID, "", "the file is larger than %d MiB", s.cfg.MaxUpload>>20)
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxUpload+64<<10)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, casefile.Errorf(casefile.EINVALID, "", "the upload is not a multipart form")
	}
	var desc string
	for {
		part, err := mr.NextPart()
		if err != nil {
			var me *http.MaxBytesError
			if errors.As(err, &me) {
				return nil, tooBig
			}
			return nil, casefile.Errorf(casefile.EINVALID, "", "choose a file to upload")
		}
		switch part.FormName() {
		case "description":
			b, _ := io.ReadAll(io.LimitReader(part, 4096))
			desc = strings.TrimSpace(string(b))
			continue
		case "file":
		default:
			continue
		}
		head := make([]byte, 512)
		n, err := io.ReadFull(part, head)
		if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
			var me *http.MaxBytesError
			if errors.As(err, &me) {
				return nil, tooBig
			}
			return nil, casefile.Errorf(casefile.EINVALID, "", "the upload was cut off")
		}
		head = head[:n]
		if n == 0 {
			return nil, casefile.Errorf(casefile.EINVALID, "", "the file is empty")
		}
		mt := http.DetectContentType(head)
		if !allowedMedia[mt] {
			return nil, casefile.Errorf(casefile.EINVALID, "", "files of type %s are not accepted as evidence (PDF, images, audio, video, plain text and ZIP are)", strings.SplitN(mt, ";", 2)[0])
		}
		item := &casefile.EvidenceItem{SourceID: sourceID, FileName: cleanFileName(part.FileName()), MediaType: mt, Description: desc,
			AddedBy: callerOf(r).user.Username, AddedFrom: "web"}
		body := &limitedReader{r: io.MultiReader(bytes.NewReader(head), part), n: s.cfg.MaxUpload}
		if err := s.cfg.Evidence.PutEvidence(ctx, item, body); err != nil {
			var me *http.MaxBytesError
			if body.over || errors.As(err, &me) {
				return nil, tooBig
			}
			return nil, err
		}
		return item, nil
	}
}

// limitedReader fails once more than n bytes were read, so that an oversized file is refused
// rather than cut short.
type limitedReader struct {
	r    io.Reader
	n    int64
	over bool
}

var errTooBig = errors.New("file too large")

// Read reads from the underlying reader and fails past the limit.
func (l *limitedReader) Read(p []byte) (int, error) {
	k, err := l.r.Read(p)
	l.n -= int64(k)
	if l.n < 0 {
		l.over = true
		return 0, errTooBig
	}
	return k, err
}

// cleanFileName keeps the base name of an uploaded file, without control characters or quotes.
func cleanFileName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '"' || r == '/' {
			return -1
		}
		return r
	}, name)
	if name == "" || name == "." || name == ".." {
		name = "evidence"
	}
	if len(name) > 200 {
		name = name[:200]
	}
	return name
}

func (s *Server) handleEvidenceUpload(w http.ResponseWriter, r *http.Request) {
	if _, err := s.storeUpload(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/sources/"+r.PathValue("id")+"?flash=uploaded", http.StatusSeeOther)
}

func (s *Server) apiEvidenceUpload(w http.ResponseWriter, r *http.Request) {
	item, err := s.storeUpload(w, r)
	s.respond(w, r, http.StatusCreated, item, err)
}

// handleEvidenceDownload sends an evidence file as an attachment and records the read in the
// audit log before the first byte leaves. The file is checked against the hash taken at intake as
// it streams; on a mismatch the connection is cut, so the browser reports a failed download
// instead of keeping a file that is not the evidence.
func (s *Server) handleEvidenceDownload(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := r.PathValue("id")
	item, err := s.findEvidence(r, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if s.cfg.Evidence == nil {
		s.fail(w, r, casefile.Errorf(casefile.ENOTIMPL, "", "evidence files are not available on this server"))
		return
	}
	if s.cfg.Audit != nil {
		if err := s.cfg.Audit.RecordAccess(ctx, "read", "evidence", id); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	rc, err := s.cfg.Evidence.OpenEvidence(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer rc.Close()
	mt := item.MediaType
	if mt == "" || !allowedMedia[mt] {
		mt = "application/octet-stream"
	}
	w.Header().Set("Content-Type", mt)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": item.FileName}))
	w.Header().Set("Content-Security-Policy", "sandbox; default-src 'none'")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Length", strconv.FormatInt(item.Size, 10))
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(w, h), rc)
	if err != nil || n != item.Size || hex.EncodeToString(h.Sum(nil)) != item.SHA256 {
		s.log.Error("evidence download does not match its intake hash", "evidence", id, "err", err)
		panic(http.ErrAbortHandler)
	}
}

// findEvidence reads an evidence item; one attached to a testimony the caller may not see is
// not found.
func (s *Server) findEvidence(r *http.Request, id string) (*casefile.EvidenceItem, error) {
	item, err := s.cfg.Store.FindEvidenceByID(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if item.TestimonyID != "" {
		t, err := s.cfg.Store.FindTestimonyByID(r.Context(), item.TestimonyID)
		if err != nil || !visible(r, t.Confidential, t.CreatedBy) {
			return nil, hidden("evidence item", id)
		}
	}
	return item, nil
}

func (s *Server) apiEvidenceList(w http.ResponseWriter, r *http.Request) {
	off, lim := page(r)
	items, total, err := s.cfg.Store.FindEvidence(r.Context(), casefile.EvidenceFilter{SourceID: qstr(r, "source_id"), TestimonyID: qstr(r, "testimony_id"),
		SHA256: qstr(r, "sha256"), Offset: off, Limit: lim})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	respondList(w, r, items, total, off, lim, func(e *casefile.EvidenceItem) bool {
		_, err := s.findEvidence(r, e.ID)
		return err == nil
	})
}

func (s *Server) apiEvidence(w http.ResponseWriter, r *http.Request) {
	item, err := s.findEvidence(r, r.PathValue("id"))
	s.respond(w, r, http.StatusOK, item, err)
}

// Testimonies.

func (s *Server) findTestimony(r *http.Request) (*casefile.Testimony, error) {
	id := r.PathValue("id")
	t, err := s.cfg.Store.FindTestimonyByID(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if !visible(r, t.Confidential, t.CreatedBy) {
		return nil, hidden("testimony", id)
	}
	return t, nil
}

func (s *Server) apiTestimonies(w http.ResponseWriter, r *http.Request) {
	off, lim := page(r)
	ts, total, hid, err := s.listTestimonies(r, casefile.TestimonyFilter{PersonID: qstr(r, "person_id"), Offset: off, Limit: lim})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	respondPage(w, ts, total, off, lim, hid)
}

func (s *Server) apiTestimony(w http.ResponseWriter, r *http.Request) {
	t, err := s.findTestimony(r)
	s.respond(w, r, http.StatusOK, t, err)
}

func (s *Server) apiTestimonyCreate(w http.ResponseWriter, r *http.Request) {
	var t casefile.Testimony
	if err := decode(r, &t); err != nil {
		s.fail(w, r, err)
		return
	}
	s.respond(w, r, http.StatusCreated, &t, s.cfg.Store.CreateTestimony(r.Context(), &t))
}

func (s *Server) apiTestimonyUpdate(w http.ResponseWriter, r *http.Request) {
	if _, err := s.findTestimony(r); err != nil {
		s.fail(w, r, err)
		return
	}
	var u casefile.TestimonyUpdate
	if err := decode(r, &u); err != nil {
		s.fail(w, r, err)
		return
	}
	t, err := s.cfg.Store.UpdateTestimony(r.Context(), r.PathValue("id"), u)
	s.respond(w, r, http.StatusOK, t, err)
}

func (s *Server) apiTestimonyDelete(w http.ResponseWriter, r *http.Request) {
	if _, err := s.findTestimony(r); err != nil {
		s.fail(w, r, err)
		return
	}
	s.respond(w, r, 0, nil, s.cfg.Store.DeleteTestimony(r.Context(), r.PathValue("id")))
}

// Events.

func (s *Server) findEvent(r *http.Request) (*casefile.Event, error) {
	id := r.PathValue("id")
	e, err := s.cfg.Store.FindEventByID(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if !visible(r, e.Confidential, e.CreatedBy) {
		return nil, hidden("event", id)
	}
	return e, nil
}

func (s *Server) apiEvents(w http.ResponseWriter, r *http.Request) {
	off, lim := page(r)
	f := casefile.EventFilter{Domain: qstr(r, "domain"), Setting: qstr(r, "setting"), Region: qstr(r, "region"), Offset: off, Limit: lim}
	if y, err := strconv.Atoi(r.URL.Query().Get("year")); err == nil {
		f.Year = &y
	}
	es, total, hid, err := s.listEvents(r, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	respondPage(w, es, total, off, lim, hid)
}

func (s *Server) apiEvent(w http.ResponseWriter, r *http.Request) {
	e, err := s.findEvent(r)
	s.respond(w, r, http.StatusOK, e, err)
}

// eventWithActs is the body of POST /events: an event, and optionally the new people and the
// acts recorded with it. Acts name the event implicitly; they name victims and perpetrators by
// the IDs of existing people or of people in Persons.
type eventWithActs struct {
	casefile.Event
	Persons []*casefile.Person `json:"persons,omitempty"`
	Acts    []*casefile.Act    `json:"acts,omitempty"`
}

func (s *Server) apiEventCreate(w http.ResponseWriter, r *http.Request) {
	var body eventWithActs
	if err := decode(r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	e := &body.Event
	if len(body.Acts) == 0 && len(body.Persons) == 0 {
		s.respond(w, r, http.StatusCreated, e, s.cfg.Store.CreateEvent(ctx, e))
		return
	}
	who := callerOf(r).user.Username
	now := s.cfg.Now().UTC()
	if e.ID == "" {
		e.ID = casefile.NewID("evt")
	}
	e.CreatedBy, e.CreatedAt, e.UpdatedAt = who, now, now
	for _, p := range body.Persons {
		if p.ID == "" {
			s.fail(w, r, casefile.Errorf(casefile.EINVALID, "", "persons: give each new person an id, so acts can name them"))
			return
		}
		p.CreatedBy, p.CreatedAt, p.UpdatedAt = who, now, now
	}
	for _, a := range body.Acts {
		if a.ID == "" {
			a.ID = casefile.NewID("act")
		}
		a.EventID = e.ID
		a.CreatedBy, a.CreatedAt, a.UpdatedAt = who, now, now
		for i := range a.Involvements {
			if a.Involvements[i].ID == "" {
				a.Involvements[i].ID = casefile.NewID("inv")
			}
		}
	}
	b := &casefile.Bundle{Format: casefile.BundleFormat, Version: casefile.BundleVersion, Persons: body.Persons, Events: []*casefile.Event{e}, Acts: body.Acts}
	if err := s.cfg.Store.ImportBundle(ctx, b); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, body)
}

func (s *Server) apiEventUpdate(w http.ResponseWriter, r *http.Request) {
	if _, err := s.findEvent(r); err != nil {
		s.fail(w, r, err)
		return
	}
	var u casefile.EventUpdate
	if err := decode(r, &u); err != nil {
		s.fail(w, r, err)
		return
	}
	e, err := s.cfg.Store.UpdateEvent(r.Context(), r.PathValue("id"), u)
	s.respond(w, r, http.StatusOK, e, err)
}

func (s *Server) apiEventDelete(w http.ResponseWriter, r *http.Request) {
	if _, err := s.findEvent(r); err != nil {
		s.fail(w, r, err)
		return
	}
	s.respond(w, r, 0, nil, s.cfg.Store.DeleteEvent(r.Context(), r.PathValue("id")))
}

// Acts.

func (s *Server) findAct(r *http.Request) (*casefile.Act, error) {
	a, _, _, err := s.loadAct(r, r.PathValue("id"))
	return a, err
}

func (s *Server) apiActs(w http.ResponseWriter, r *http.Request) {
	off, lim := page(r)
	f, _, _ := actFilter(r.URL.Query())
	f.Offset, f.Limit = off, lim
	as, total, hid, err := s.listActs(r, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	respondPage(w, as, total, off, lim, hid)
}

func (s *Server) apiAct(w http.ResponseWriter, r *http.Request) {
	a, err := s.findAct(r)
	s.respond(w, r, http.StatusOK, a, err)
}

func (s *Server) apiActCreate(w http.ResponseWriter, r *http.Request) {
	var a casefile.Act
	if err := decode(r, &a); err != nil {
		s.fail(w, r, err)
		return
	}
	s.respond(w, r, http.StatusCreated, &a, s.cfg.Store.CreateAct(r.Context(), &a))
}

func (s *Server) apiActUpdate(w http.ResponseWriter, r *http.Request) {
	if _, err := s.findAct(r); err != nil {
		s.fail(w, r, err)
		return
	}
	var u casefile.ActUpdate
	if err := decode(r, &u); err != nil {
		s.fail(w, r, err)
		return
	}
	a, err := s.cfg.Store.UpdateAct(r.Context(), r.PathValue("id"), u)
	s.respond(w, r, http.StatusOK, a, err)
}

func (s *Server) apiActDelete(w http.ResponseWriter, r *http.Request) {
	if _, err := s.findAct(r); err != nil {
		s.fail(w, r, err)
		return
	}
	s.respond(w, r, 0, nil, s.cfg.Store.DeleteAct(r.Context(), r.PathValue("id")))
}

// Information and interventions.

func (s *Server) apiInformation(w http.ResponseWriter, r *http.Request) {
	f := casefile.InformationFilter{SourceID: qstr(r, "source_id"), EventID: qstr(r, "event_id"), ActID: qstr(r, "act_id")}
	if f.SourceID == nil && f.EventID == nil && f.ActID == nil {
		s.fail(w, r, casefile.Errorf(casefile.EINVALID, "", "name a source_id, event_id or act_id"))
		return
	}
	is, err := s.cfg.Store.FindInformation(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	respondList(w, r, is, len(is), 0, len(is), nil)
}

func (s *Server) apiInformationCreate(w http.ResponseWriter, r *http.Request) {
	var in casefile.Information
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	s.respond(w, r, http.StatusCreated, &in, s.cfg.Store.CreateInformation(r.Context(), &in))
}

func (s *Server) apiInformationDelete(w http.ResponseWriter, r *http.Request) {
	s.respond(w, r, 0, nil, s.cfg.Store.DeleteInformation(r.Context(), r.PathValue("id")))
}

func (s *Server) apiInterventions(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("act_id") == "" && q.Get("event_id") == "" {
		s.fail(w, r, casefile.Errorf(casefile.EINVALID, "", "name an act_id or event_id"))
		return
	}
	is, err := s.cfg.Store.FindInterventions(r.Context(), q.Get("act_id"), q.Get("event_id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	respondList(w, r, is, len(is), 0, len(is), nil)
}

func (s *Server) apiInterventionCreate(w http.ResponseWriter, r *http.Request) {
	var in casefile.Intervention
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	s.respond(w, r, http.StatusCreated, &in, s.cfg.Store.CreateIntervention(r.Context(), &in))
}

func (s *Server) apiInterventionDelete(w http.ResponseWriter, r *http.Request) {
	s.respond(w, r, 0, nil, s.cfg.Store.DeleteIntervention(r.Context(), r.PathValue("id")))
}

// Indicators.

func (s *Server) apiIndicators(w http.ResponseWriter, r *http.Request) {
	off, lim := page(r)
	is, total, err := s.cfg.Store.FindIndicators(r.Context(), casefile.IndicatorFilter{Geography: qstr(r, "geography"), Domain: qstr(r, "domain"), Offset: off, Limit: lim})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	respondList(w, r, is, total, off, lim, nil)
}

func (s *Server) apiIndicator(w http.ResponseWriter, r *http.Request) {
	i, err := s.cfg.Store.FindIndicatorByID(r.Context(), r.PathValue("id"))
	s.respond(w, r, http.StatusOK, i, err)
}

func (s *Server) apiIndicatorCreate(w http.ResponseWriter, r *http.Request) {
	var i casefile.Indicator
	if err := decode(r, &i); err != nil {
		s.fail(w, r, err)
		return
	}
	s.respond(w, r, http.StatusCreated, &i, s.cfg.Store.CreateIndicator(r.Context(), &i))
}

func (s *Server) apiIndicatorDelete(w http.ResponseWriter, r *http.Request) {
	s.respond(w, r, 0, nil, s.cfg.Store.DeleteIndicator(r.Context(), r.PathValue("id")))
}

// Assessment.

func (s *Server) apiFrameworks(w http.ResponseWriter, r *http.Request) {
	as, err := s.assessor()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, as.Frameworks(callerOf(r).lang))
}

func (s *Server) apiFramework(w http.ResponseWriter, r *http.Request) {
	as, err := s.assessor()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	qs, err := as.Questions(r.PathValue("name"), callerOf(r).lang)
	s.respond(w, r, http.StatusOK, map[string]any{"name": r.PathValue("name"), "questions": qs}, err)
}

// assessRequest is the body of POST /assess and POST /assessments.
type assessRequest struct {
	ActID     string                     `json:"act_id"`
	Framework string                     `json:"framework"`
	Answers   map[string]casefile.Answer `json:"answers"`
	Note      string                     `json:"note,omitempty"`
}

func (s *Server) runAssess(r *http.Request) (*assessRequest, *AssessResult, error) {
	as, err := s.assessor()
	if err != nil {
		return nil, nil, err
	}
	var req assessRequest
	if err := decode(r, &req); err != nil {
		return nil, nil, err
	}
	if req.ActID == "" || req.Framework == "" {
		return nil, nil, casefile.Errorf(casefile.EINVALID, "", "act_id and framework are required")
	}
	a, e, v, err := s.loadAct(r, req.ActID)
	if err != nil {
		return nil, nil, err
	}
	infos, err := s.cfg.Store.FindInformation(r.Context(), casefile.InformationFilter{ActID: &a.ID})
	if err != nil {
		return nil, nil, err
	}
	testimony := false
	for _, in := range infos {
		testimony = testimony || in.TestimonyID != ""
	}
	res, err := as.Assess(req.Framework, AssessInput{Act: a, Event: e, Victim: v, Answers: req.Answers, Testimony: testimony})
	return &req, res, err
}

func (s *Server) apiAssess(w http.ResponseWriter, r *http.Request) {
	_, res, err := s.runAssess(r)
	s.respond(w, r, http.StatusOK, res, err)
}

func (s *Server) apiAssessmentCreate(w http.ResponseWriter, r *http.Request) {
	req, res, err := s.runAssess(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a := &casefile.Assessment{ActID: req.ActID, Framework: req.Framework, PackVersion: res.PackVersion, Answers: req.Answers,
		Outcomes: res.Outcomes, Missing: res.Missing, Note: req.Note}
	s.respond(w, r, http.StatusCreated, a, s.cfg.Store.CreateAssessment(r.Context(), a))
}

func (s *Server) findAssessment(r *http.Request) (*casefile.Assessment, error) {
	a, err := s.cfg.Store.FindAssessmentByID(r.Context(), r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	if a.ActID != "" {
		if _, _, _, err := s.loadAct(r, a.ActID); err != nil {
			return nil, hidden("assessment", a.ID)
		}
	}
	return a, nil
}

func (s *Server) apiAssessments(w http.ResponseWriter, r *http.Request) {
	off, lim := page(r)
	f := casefile.AssessmentFilter{ActID: qstr(r, "act_id"), EventID: qstr(r, "event_id"), Framework: qstr(r, "framework"), Status: qstr(r, "status"),
		LatestOnly: r.URL.Query().Get("latest") == "true", Offset: off, Limit: lim}
	as, total, err := s.cfg.Store.FindAssessments(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	respondList(w, r, as, total, off, lim, func(a *casefile.Assessment) bool {
		if a.ActID == "" {
			return true
		}
		_, _, _, err := s.loadAct(r, a.ActID)
		return err == nil
	})
}

func (s *Server) apiAssessment(w http.ResponseWriter, r *http.Request) {
	a, err := s.findAssessment(r)
	s.respond(w, r, http.StatusOK, a, err)
}

func (s *Server) apiReview(w http.ResponseWriter, r *http.Request) {
	as, err := s.findAssessment(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := fourEyes(as, callerOf(r).user); err != nil {
		s.fail(w, r, err)
		return
	}
	var body struct {
		Note string `json:"note"`
	}
	if r.ContentLength != 0 {
		if err := decode(r, &body); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	a, err := s.cfg.Store.ReviewAssessment(r.Context(), r.PathValue("id"), callerOf(r).user.Username, body.Note)
	s.respond(w, r, http.StatusOK, a, err)
}

// Search.

type searchRequest struct {
	Q               string `json:"q"`
	Kind            string `json:"kind,omitempty"`
	Domain          string `json:"domain,omitempty"`
	Setting         string `json:"setting,omitempty"`
	ActType         string `json:"act_type,omitempty"`
	PerpetratorType string `json:"perpetrator_type,omitempty"`
	Region          string `json:"region,omitempty"`
	Year            string `json:"year,omitempty"`
	Offset          int    `json:"offset,omitempty"`
	Limit           int    `json:"limit,omitempty"`
}

func (s *Server) apiSearch(w http.ResponseWriter, r *http.Request) {
	var req searchRequest
	if err := decode(r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	fields := map[string]string{"q": req.Q, "kind": req.Kind, "domain": req.Domain, "setting": req.Setting, "act_type": req.ActType,
		"perpetrator_type": req.PerpetratorType, "region": req.Region, "year": req.Year}
	q, _ := searchQuery(func(k string) string { return fields[k] })
	q.Offset, q.Limit = req.Offset, req.Limit
	res, err := s.cfg.Store.Search(r.Context(), q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	hits, n := s.visibleHits(r, res.Hits)
	if hits == nil {
		hits = []casefile.SearchHit{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"hits": hits, "total": res.Total, "facets": res.Facets, "hidden": n})
}

// Users, audit, tokens.

func (s *Server) apiUsers(w http.ResponseWriter, r *http.Request) {
	off, lim := page(r)
	us, total, err := s.cfg.Users.FindUsers(r.Context(), casefile.UserFilter{Role: qstr(r, "role"), Offset: off, Limit: lim})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	respondList(w, r, us, total, off, lim, nil)
}

func (s *Server) apiUserCreate(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Username string `json:"username"`
		Name     string `json:"name"`
		Role     string `json:"role"`
		Lang     string `json:"lang"`
		Password string `json:"password"`
	}
	if err := decode(r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	generated := body.Password == ""
	if generated {
		body.Password = GeneratePassword()
	}
	h, err := HashPassword(body.Password)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u := &casefile.User{Username: body.Username, Name: body.Name, Role: body.Role, Lang: body.Lang, PasswordHash: h}
	if err := s.cfg.Users.CreateUser(r.Context(), u); err != nil {
		s.fail(w, r, err)
		return
	}
	out := map[string]any{"user": u}
	if generated {
		out["password"] = body.Password
	}
	writeJSON(w, http.StatusCreated, out)
}

func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Audit == nil {
		s.fail(w, r, casefile.Errorf(casefile.ENOTIMPL, "", "the audit log is not available on this server"))
		return
	}
	off, lim := page(r)
	f := casefile.AuditFilter{ObjectKind: qstr(r, "object_kind"), ObjectID: qstr(r, "object_id"), Actor: qstr(r, "actor"), Offset: off, Limit: lim}
	if n, err := strconv.ParseInt(r.URL.Query().Get("after_seq"), 10, 64); err == nil {
		f.AfterSeq = n
	}
	es, total, err := s.cfg.Audit.FindAuditEntries(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	respondList(w, r, es, total, off, lim, nil)
}

func (s *Server) apiTokens(w http.ResponseWriter, r *http.Request) {
	ts, err := s.cfg.Sessions.FindTokens(r.Context(), callerOf(r).user.ID)
	if ts == nil {
		ts = []*casefile.Token{}
	}
	s.respond(w, r, http.StatusOK, ts, err)
}

func (s *Server) apiTokenCreate(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Name string `json:"name"`
	}
	if err := decode(r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	t, secret, err := s.newToken(r, callerOf(r).user, body.Name)
	s.respond(w, r, http.StatusCreated, map[string]any{"token": t, "secret": secret}, err)
}

func (s *Server) apiTokenDelete(w http.ResponseWriter, r *http.Request) {
	s.respond(w, r, 0, nil, s.cfg.Sessions.DeleteToken(r.Context(), callerOf(r).user.ID, r.PathValue("id")))
}
