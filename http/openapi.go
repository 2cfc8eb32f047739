package http

import (
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"time"

	"github.com/casefile/casefile"
)

// bodySchemas are the request bodies the route table names, as Go values whose JSON shape the
// document describes.
var bodySchemas = map[string]any{
	"Person": casefile.Person{}, "PersonUpdate": casefile.PersonUpdate{}, "Consent": casefile.Consent{},
	"Source": casefile.Source{}, "SourceUpdate": casefile.SourceUpdate{},
	"Testimony": casefile.Testimony{}, "TestimonyUpdate": casefile.TestimonyUpdate{},
	"EventWithActs": eventWithActs{}, "EventUpdate": casefile.EventUpdate{},
	"Act": casefile.Act{}, "ActUpdate": casefile.ActUpdate{},
	"Information": casefile.Information{}, "Intervention": casefile.Intervention{}, "Indicator": casefile.Indicator{},
	"AssessRequest": assessRequest{}, "Review": struct {
		Note string `json:"note"`
	}{},
	"SearchRequest": searchRequest{},
	"NewUser": struct {
		Username string `json:"username"`
		Name     string `json:"name"`
		Role     string `json:"role"`
		Lang     string `json:"lang"`
		Password string `json:"password"`
	}{},
	"NewToken": struct {
		Name string `json:"name"`
	}{},
}

var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

// OpenAPI returns the OpenAPI 3.1 document of the JSON API, generated from the route table.
func (s *Server) OpenAPI() map[string]any {
	paths := map[string]map[string]any{}
	for _, rt := range s.routes {
		if !rt.API {
			continue
		}
		op := map[string]any{
			"summary":     rt.Summary,
			"tags":        []string{rt.Tag},
			"operationId": strings.ToLower(rt.Method) + strings.ReplaceAll(strings.ReplaceAll(strings.ReplaceAll(strings.TrimPrefix(rt.Pattern, "/api/v1"), "/", "_"), "{", ""), "}", ""),
			"responses": map[string]any{
				"200": map[string]any{"description": "OK", "content": map[string]any{"application/json": map[string]any{}}},
				"default": map[string]any{"description": "An error", "content": map[string]any{"application/json": map[string]any{
					"schema": map[string]any{"$ref": "#/components/schemas/Error"}}}},
			},
		}
		if rt.Perm == permPublic {
			op["security"] = []any{}
		} else {
			op["x-roles"] = rt.Perm.roles()
		}
		var params []any
		for _, m := range pathParam.FindAllStringSubmatch(rt.Pattern, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
		}
		if rt.Method == http.MethodGet && strings.HasPrefix(rt.Summary, "List ") {
			for _, q := range []string{"offset", "limit"} {
				params = append(params, map[string]any{"name": q, "in": "query", "schema": map[string]any{"type": "integer"}})
			}
		}
		if params != nil {
			op["parameters"] = params
		}
		if rt.Body != "" {
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/" + rt.Body}}}}
		}
		if strings.HasSuffix(rt.Pattern, "/evidence") && rt.Method == http.MethodPost {
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{"multipart/form-data": map[string]any{"schema": map[string]any{
				"type": "object", "properties": map[string]any{"file": map[string]any{"type": "string", "format": "binary"}, "description": map[string]any{"type": "string"}}}}}}
		}
		if paths[rt.Pattern] == nil {
			paths[rt.Pattern] = map[string]any{}
		}
		paths[rt.Pattern][strings.ToLower(rt.Method)] = op
	}
	schemas := map[string]any{
		"Error": map[string]any{"type": "object", "properties": map[string]any{"error": map[string]any{"type": "object", "properties": map[string]any{
			"kind": map[string]any{"type": "string"}, "message": map[string]any{"type": "string"}}}}},
	}
	for name, v := range bodySchemas {
		schemas[name] = schemaOf(reflect.TypeOf(v), 0)
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "Casefile API", "version": "1",
			"description": "Records of abuses against people who use drugs, and their legal assessment. Authenticate with Authorization: Bearer TOKEN (make a token on the account page or with POST /api/v1/tokens)."},
		"servers": []any{map[string]any{"url": "/"}},
		"paths":   paths,
		"components": map[string]any{
			"schemas":         schemas,
			"securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer"}},
		},
		"security": []any{map[string]any{"bearer": []any{}}},
	}
}

var timeType = reflect.TypeOf(time.Time{})

// schemaOf describes a Go type's JSON encoding as a JSON Schema.
func schemaOf(t reflect.Type, depth int) map[string]any {
	if t.Kind() == reflect.Pointer {
		return schemaOf(t.Elem(), depth)
	}
	if t == timeType {
		return map[string]any{"type": "string", "format": "date-time"}
	}
	if depth > 6 {
		return map[string]any{}
	}
	switch t.Kind() {
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int64, reflect.Int32:
		return map[string]any{"type": "integer"}
	case reflect.Float64, reflect.Float32:
		return map[string]any{"type": "number"}
	case reflect.Slice:
		return map[string]any{"type": "array", "items": schemaOf(t.Elem(), depth+1)}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": schemaOf(t.Elem(), depth+1)}
	case reflect.Struct:
		props := map[string]any{}
		addStructFields(t, props, depth)
		return map[string]any{"type": "object", "properties": props}
	}
	return map[string]any{}
}

func addStructFields(t reflect.Type, props map[string]any, depth int) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			addStructFields(ft, props, depth)
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name) // the decoder matches names case-insensitively
		}
		props[name] = schemaOf(f.Type, depth+1)
	}
}

func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	writeJSON(w, http.StatusOK, s.OpenAPI())
}
