// Package textgen is the text-generation task. Miners forward to any OpenAI-compatible HTTP server
// (llama.cpp server, vLLM, Ollama) through /v1/chat/completions, streamed (SSE) or not. Validators ask arithmetic
// questions whose answers they know and score exact answers.
package textgen

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// Message is one chat message.
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// Request is the task payload (a subset of the OpenAI chat request).
type Request struct {
	Messages    []Message `json:"messages"`
	MaxTokens   int       `json:"max_tokens,omitempty"`
	Temperature *float64  `json:"temperature,omitempty"`
}

// Answer is the miner's payload.
type Answer struct {
	Text  string `json:"text"`
	Model string `json:"model,omitempty"`
}

// OpenAIConfig points at an OpenAI-compatible server.
type OpenAIConfig struct {
	BaseURL string        // e.g. http://127.0.0.1:8080 (the /v1/chat/completions path is appended)
	Model   string        // model name sent to the server
	APIKey  string        // optional bearer token
	Timeout time.Duration // per request, on top of the caller's context
	Stream  bool          // use SSE streaming
	Client  *http.Client  // optional
}

// MaxResponseBytes bounds what the backend may send.
const MaxResponseBytes = 4 << 20

// OpenAI is a client of one OpenAI-compatible server.
type OpenAI struct {
	cfg OpenAIConfig
	hc  *http.Client
}

// NewOpenAI validates cfg.
func NewOpenAI(cfg OpenAIConfig) (*OpenAI, error) {
	if cfg.BaseURL == "" || cfg.Model == "" {
		return nil, errors.New("textgen: openai backend needs a base URL and a model")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 60 * time.Second
	}
	hc := cfg.Client
	if hc == nil {
		hc = &http.Client{Timeout: cfg.Timeout + 5*time.Second}
	}
	return &OpenAI{cfg: cfg, hc: hc}, nil
}

type chatRequest struct {
	Model       string    `json:"model"`
	Messages    []Message `json:"messages"`
	MaxTokens   int       `json:"max_tokens,omitempty"`
	Temperature *float64  `json:"temperature,omitempty"`
	Stream      bool      `json:"stream"`
}

type chatResponse struct {
	Model   string `json:"model"`
	Choices []struct {
		Message Message `json:"message"`
		Delta   Message `json:"delta"`
	} `json:"choices"`
	Error *struct {
		Message string `json:"message"`
	} `json:"error"`
}

// Complete runs a chat completion. With streaming on, onChunk (if not nil) sees each piece as it arrives.
func (o *OpenAI) Complete(ctx context.Context, req Request, onChunk func(string) error) (*Answer, error) {
	ctx, cancel := context.WithTimeout(ctx, o.cfg.Timeout)
	defer cancel()
	body, err := json.Marshal(chatRequest{
		Model: o.cfg.Model, Messages: req.Messages, MaxTokens: req.MaxTokens, Temperature: req.Temperature, Stream: o.cfg.Stream,
	})
	if err != nil {
		return nil, err
	}
	url := strings.TrimRight(o.cfg.BaseURL, "/") + "/v1/chat/completions"
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("textgen: %w", err)
	}
	hreq.Header.Set("Content-Type", "application/json")
	if o.cfg.Stream {
		hreq.Header.Set("Accept", "text/event-stream")
	}
	if o.cfg.APIKey != "" {
		hreq.Header.Set("Authorization", "Bearer "+o.cfg.APIKey)
	}
	resp, err := o.hc.Do(hreq)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("textgen: %s: %w", url, ctx.Err())
		}
		return nil, fmt.Errorf("textgen: %s unreachable: %w", url, err)
	}
	defer resp.Body.Close()
	lr := io.LimitReader(resp.Body, MaxResponseBytes)
	if resp.StatusCode/100 != 2 {
		snippet, _ := io.ReadAll(io.LimitReader(lr, 512))
		return nil, fmt.Errorf("textgen: %s answered %s: %s", url, resp.Status, strings.TrimSpace(string(snippet)))
	}
	if !o.cfg.Stream {
		var cr chatResponse
		if err := json.NewDecoder(lr).Decode(&cr); err != nil {
			return nil, fmt.Errorf("textgen: decode answer: %w", err)
		}
		if cr.Error != nil {
			return nil, fmt.Errorf("textgen: backend error: %s", cr.Error.Message)
		}
		if len(cr.Choices) == 0 {
			return nil, errors.New("textgen: answer has no choices")
		}
		return &Answer{Text: cr.Choices[0].Message.Content, Model: cr.Model}, nil
	}
	return readSSE(ctx, lr, onChunk)
}

// ProbeTimeout bounds one Probe.
const ProbeTimeout = 5 * time.Second

// Probe asks the server for its models (GET /v1/models, which llama.cpp server, vLLM and Ollama answer) to learn
// whether it can serve: an unreachable server, one that refuses the API key (401, 403) or fails (5xx) is an error
// saying so; any other answer means the server is up (one without /v1/models answers 404).
func (o *OpenAI) Probe(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, ProbeTimeout)
	defer cancel()
	url := strings.TrimRight(o.cfg.BaseURL, "/") + "/v1/models"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("textgen: --openai-url %q: %w", o.cfg.BaseURL, err)
	}
	if o.cfg.APIKey != "" {
		req.Header.Set("Authorization", "Bearer "+o.cfg.APIKey)
	}
	resp, err := o.hc.Do(req)
	if err != nil {
		return fmt.Errorf("textgen: backend %s unreachable: %w", url, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	switch {
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		return fmt.Errorf("textgen: backend %s refuses the API key (%s): put the right key in the variable --openai-api-key-env names", url, resp.Status)
	case resp.StatusCode >= 500:
		return fmt.Errorf("textgen: backend %s answered %s", url, resp.Status)
	}
	return nil
}

// readSSE reads "data: {...}" events until "data: [DONE]".
func readSSE(ctx context.Context, r io.Reader, onChunk func(string) error) (*Answer, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var sb strings.Builder
	model := ""
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "data:") {
			continue // comments, event names, blank separators
		}
		data := strings.TrimSpace(strings.TrimPrefix(line, "data:"))
		if data == "[DONE]" {
			return &Answer{Text: sb.String(), Model: model}, nil
		}
		var cr chatResponse
		if err := json.Unmarshal([]byte(data), &cr); err != nil {
			return nil, fmt.Errorf("textgen: malformed stream event: %w", err)
		}
		if cr.Error != nil {
			return nil, fmt.Errorf("textgen: backend error: %s", cr.Error.Message)
		}
		if cr.Model != "" {
			model = cr.Model
		}
		for _, ch := range cr.Choices {
			if ch.Delta.Content == "" {
				continue
			}
			sb.WriteString(ch.Delta.Content)
			if onChunk != nil {
				if err := onChunk(ch.Delta.Content); err != nil {
					return nil, err
				}
			}
		}
	}
	if err := sc.Err(); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("textgen: stream: %w", ctx.Err())
		}
		return nil, fmt.Errorf("textgen: stream: %w", err)
	}
	return nil, errors.New("textgen: stream ended without [DONE]")
}
