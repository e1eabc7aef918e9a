module github.com/tokenmind/tokenmind

go 1.26.5
