package main

import (
	"strings"
	"testing"
	"time"

	"github.com/tokenmind/tokenmind/neuron/task/ner"
	"github.com/tokenmind/tokenmind/neuron/task/textgen"
)

func TestOpenAIFlags(t *testing.T) {
	o := openAIFlags{keyEnv: "TM_TEST_KEY", timeout: time.Minute, stream: true}
	if c, err := o.config(false); c != nil || err != nil {
		t.Fatalf("not needed: %v %v", c, err)
	}
	if _, err := o.config(true); err == nil || !strings.Contains(err.Error(), "--openai-url") {
		t.Fatalf("missing URL: %v", err)
	}
	o.url, o.model = "http://127.0.0.1:8080", "llama"
	t.Setenv("TM_TEST_KEY", "k")
	c, err := o.config(true)
	if err != nil || c.APIKey != "k" || c.BaseURL != o.url || c.Model != "llama" || !c.Stream {
		t.Fatalf("config %+v, %v", c, err)
	}
	o.timeout = 0
	if _, err := o.config(true); err == nil {
		t.Fatal("zero timeout accepted")
	}
}

func TestTaskRegistryServesBothTasks(t *testing.T) {
	reg, err := taskRegistry(&textgen.OpenAIConfig{BaseURL: "http://127.0.0.1:1", Model: "m"})
	if err != nil {
		t.Fatal(err)
	}
	hs, err := reg.MinerHandlers(map[string]string{ner.Name: ner.ModelLite, textgen.Name: textgen.ModelOpenAI})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{ner.Name, textgen.Name} {
		if _, ok := hs.Handler(name); !ok {
			t.Fatalf("no handler for %s", name)
		}
	}
	if _, err := reg.MinerHandlers(map[string]string{textgen.Name: "gpt-9"}); err == nil {
		t.Fatal("unknown backend accepted")
	}
}
