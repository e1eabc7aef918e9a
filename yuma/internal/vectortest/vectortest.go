// Package vectortest replays the math vectors (one primitive call each) and the scheduler and
// emission-split vectors ("other_vectors") of ../shared/yuma/vectors.json against package yuma.
//
// Only tests import it (yuma/vectors_test.go passes Sections to scenario.Run); production code,
// the simulator included, runs epoch scenarios through yuma/scenario alone. Each vector is
// decoded into a typed envelope, each function's inputs into the typed struct its table entry
// names, both with unknown fields refused and required fields checked, so a vector this package
// does not fully understand fails instead of being half-checked.
package vectortest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"

	"github.com/tokenmind/tokenmind/yuma/scenario"
)

// Sections returns the section interpreters to pass as scenario.Options.Sections.
func Sections() map[string]scenario.VectorFunc {
	return map[string]scenario.VectorFunc{
		scenario.SectionMath:  Math,
		scenario.SectionOther: Scheduler,
	}
}

// envelope is one math or other vector. Encoding is absent from other vectors.
type envelope struct {
	ID       string            `json:"id,omitempty"`
	Source   json.RawMessage   `json:"source,omitempty"` // informational
	Note     string            `json:"note,omitempty"`   // informational
	Function string            `json:"function"`
	Inputs   json.RawMessage   `json:"inputs"`
	Expected json.RawMessage   `json:"expected,omitempty"`
	Encoding map[string]string `json:"encoding,omitempty"`
	Compare  *compare          `json:"compare,omitempty"`
}

// compare is a vector's comparison rule.
type compare struct {
	Mode            string `json:"mode"`
	Epsilon         *lit   `json:"epsilon,omitempty"`
	EpsilonEncoding string `json:"epsilon_encoding,omitempty"`
}

// lit is one number literal: a JSON number, a string (such as "I32F32::MAX" or a descriptive
// text), or null (v == nil). The literal package converts it under the field's encoding.
type lit struct{ v any }

// UnmarshalJSON keeps numbers as json.Number.
func (l *lit) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return err
	}
	switch v.(type) {
	case nil, json.Number, string:
		l.v = v
		return nil
	}
	return fmt.Errorf("want a number or a string, got %s", b)
}

// strict decodes raw into dst refusing unknown fields, and fails if a field of dst's struct type
// without ",omitempty" in its json tag is absent from raw.
func strict(raw json.RawMessage, dst any, path string) error {
	if len(raw) == 0 {
		return fmt.Errorf("%s: missing", path)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fmt.Errorf("%s: trailing data", path)
	}
	t := reflect.TypeOf(dst).Elem()
	if _, custom := dst.(json.Unmarshaler); custom || t.Kind() != reflect.Struct {
		return nil
	}
	var present map[string]json.RawMessage
	if err := json.Unmarshal(raw, &present); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	for i := 0; i < t.NumField(); i++ {
		name, opts, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name == "" || name == "-" || strings.Contains(opts, "omitempty") {
			continue
		}
		if _, ok := present[name]; !ok {
			return fmt.Errorf("%s: missing %q", path, name)
		}
	}
	return nil
}

// checker counts the checks of one vector.
type checker struct {
	checks   int
	failed   int
	failures []string
}

func (c *checker) check(ok bool, format string, args ...any) {
	c.checks++
	if !ok {
		c.failed++
		c.failures = append(c.failures, fmt.Sprintf(format, args...))
	}
}

func (c *checker) fail(err error) { c.check(false, "%v", err) }

func (c *checker) result(id, kind string) scenario.VectorResult {
	return scenario.VectorResult{ID: id, Kind: kind, Checks: c.checks, Failed: c.failed, Failures: c.failures}
}

// decodeEnvelope decodes a vector's envelope; the id is the vector's id, or path without one.
func decodeEnvelope(raw json.RawMessage, path string) (*envelope, string, error) {
	var e envelope
	err := strict(raw, &e, path)
	id := path
	if e.ID != "" {
		id = e.ID
	}
	if err == nil && e.Function == "" {
		err = fmt.Errorf("%s: missing \"function\"", id)
	}
	return &e, id, err
}
