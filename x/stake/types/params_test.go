package types_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/tokenmind/tokenmind/x/stake/types"
)

func TestDefaultParamsValid(t *testing.T) {
	p := types.DefaultParams()
	require.NoError(t, p.Validate())
	require.Equal(t, uint32(1800), p.DefaultTakeBps)
	require.NoError(t, types.DefaultGenesis().Validate())
}
