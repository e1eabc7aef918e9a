package scenario

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/tokenmind/tokenmind/yuma/internal/literal"
)

// decode reads one JSON value keeping numbers as json.Number.
func decode(r io.Reader) (any, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("scenario: parse JSON: %w", err)
	}
	var extra any
	if err := dec.Decode(&extra); err != io.EOF {
		return nil, fmt.Errorf("scenario: trailing data after the JSON value")
	}
	return v, nil
}

// obj is a JSON object whose keys are tracked so that unknown keys can be reported.
type obj struct {
	m    map[string]any
	path string
	used map[string]bool
}

func asObj(v any, path string) (*obj, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: expected an object, got %s", path, kind(v))
	}
	return &obj{m: m, path: path, used: map[string]bool{}}, nil
}

func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case json.Number:
		return "number"
	case bool:
		return "bool"
	}
	return fmt.Sprintf("%T", v)
}

func (o *obj) has(k string) bool {
	_, ok := o.m[k]
	return ok
}

func (o *obj) get(k string) (any, bool) {
	v, ok := o.m[k]
	if ok {
		o.used[k] = true
	}
	return v, ok
}

func (o *obj) req(k string) (any, error) {
	v, ok := o.get(k)
	if !ok {
		return nil, fmt.Errorf("%s: missing %q", o.path, k)
	}
	return v, nil
}

// ignore marks informational keys as known.
func (o *obj) ignore(keys ...string) {
	for _, k := range keys {
		if _, ok := o.m[k]; ok {
			o.used[k] = true
		}
	}
}

// keys returns the object's keys in sorted order (never iterate the map directly).
func (o *obj) keys() []string {
	ks := make([]string, 0, len(o.m))
	// maprange:ok keys are sorted before use
	for k := range o.m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// checkUnknown fails if any key was not consumed.
func (o *obj) checkUnknown() error {
	var unknown []string
	for _, k := range o.keys() {
		if !o.used[k] {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		return fmt.Errorf("%s: unknown key(s) %s", o.path, strings.Join(unknown, ", "))
	}
	return nil
}

func (o *obj) str(k string) (string, error) {
	v, err := o.req(k)
	if err != nil {
		return "", err
	}
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("%s.%s: expected a string, got %s", o.path, k, kind(v))
	}
	return s, nil
}

func (o *obj) optStr(k string) string {
	v, ok := o.get(k)
	if !ok {
		return ""
	}
	s, _ := v.(string)
	return s
}

func (o *obj) u64(k string) (uint64, error) {
	v, err := o.req(k)
	if err != nil {
		return 0, err
	}
	x, err := literal.Uint(v, 64)
	if err != nil {
		return 0, fmt.Errorf("%s.%s: %w", o.path, k, err)
	}
	return x, nil
}

func (o *obj) uid(k string) (int, error) {
	x, err := o.u64(k)
	if err != nil {
		return 0, err
	}
	if x > 65535 {
		return 0, fmt.Errorf("%s.%s: uid %d out of range", o.path, k, x)
	}
	return int(x), nil
}

func asList(v any, path string) ([]any, error) {
	l, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("%s: expected an array, got %s", path, kind(v))
	}
	return l, nil
}

func (o *obj) list(k string) ([]any, error) {
	v, err := o.req(k)
	if err != nil {
		return nil, err
	}
	return asList(v, o.path+"."+k)
}

func u64List(v any, path string, bitSize int) ([]uint64, error) {
	l, err := asList(v, path)
	if err != nil {
		return nil, err
	}
	out := make([]uint64, len(l))
	for i, x := range l {
		if out[i], err = literal.Uint(x, bitSize); err != nil {
			return nil, fmt.Errorf("%s[%d]: %w", path, i, err)
		}
	}
	return out, nil
}

func boolList(v any, path string) ([]bool, error) {
	l, err := asList(v, path)
	if err != nil {
		return nil, err
	}
	out := make([]bool, len(l))
	for i, x := range l {
		b, ok := x.(bool)
		if !ok {
			return nil, fmt.Errorf("%s[%d]: expected a bool, got %s", path, i, kind(x))
		}
		out[i] = b
	}
	return out, nil
}

func asBool(v any, path string) (bool, error) {
	b, ok := v.(bool)
	if !ok {
		return false, fmt.Errorf("%s: expected a bool, got %s", path, kind(v))
	}
	return b, nil
}
