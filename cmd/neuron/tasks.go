package main

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/tokenmind/tokenmind/neuron/task"
	"github.com/tokenmind/tokenmind/neuron/task/ner"
	"github.com/tokenmind/tokenmind/neuron/task/textgen"
)

// taskRegistry holds every built-in task: ner (in-process models) and text-generation (an OpenAI-compatible server;
// backend is needed only by a miner that serves it).
func taskRegistry(backend *textgen.OpenAIConfig) (*task.Registry, error) {
	nerTask, err := ner.New()
	if err != nil {
		return nil, err
	}
	return task.NewRegistry(nerTask, &textgen.Task{Backend: backend})
}

// openAIFlags point a text-generation miner at an OpenAI-compatible server (llama.cpp server, vLLM, Ollama, …).
// The API key is read from an environment variable so that it never appears in a process list, a config file or a log.
type openAIFlags struct {
	url, model, keyEnv string
	timeout            time.Duration
	stream             bool
}

func (o *openAIFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&o.url, "openai-url", "", "base URL of an OpenAI-compatible server for --task text-generation, e.g. http://127.0.0.1:8080")
	fl.StringVar(&o.model, "openai-model", "", "model name the server expects (e.g. the one Ollama or vLLM serves)")
	fl.StringVar(&o.keyEnv, "openai-api-key-env", "OPENAI_API_KEY", "environment variable holding the server's API key (unset or empty: none)")
	fl.DurationVar(&o.timeout, "openai-timeout", 60*time.Second, "deadline of one completion on the server")
	fl.BoolVar(&o.stream, "openai-stream", true, "ask the server to stream (SSE) and stop reading at the request's deadline")
}

// config returns the backend, or nil when not needed; needed=true makes a missing URL or model an error.
func (o *openAIFlags) config(needed bool) (*textgen.OpenAIConfig, error) {
	if !needed {
		return nil, nil
	}
	if o.url == "" || o.model == "" {
		return nil, errors.New("--task text-generation needs --openai-url and --openai-model (an OpenAI-compatible server such as llama.cpp server, vLLM or Ollama)")
	}
	if o.timeout <= 0 {
		return nil, fmt.Errorf("--openai-timeout %s: must be positive", o.timeout)
	}
	return &textgen.OpenAIConfig{BaseURL: o.url, Model: o.model, APIKey: os.Getenv(o.keyEnv), Timeout: o.timeout, Stream: o.stream}, nil
}
