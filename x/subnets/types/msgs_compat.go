package types

// The CLI in x/subnets/client/cli still calls Validate on the Msgs it builds; it is being reworked on another branch,
// so these forwarders keep it building until it calls ValidateBasic (a one-word change at each call site), after
// which this file is deleted. baseapp runs ValidateBasic on every Msg of a tx anyway.

// Validate is ValidateBasic.
//
// Deprecated: use ValidateBasic.
func (m *MsgCreateSubnet) Validate() error { return m.ValidateBasic() }

// Validate is ValidateBasic.
//
// Deprecated: use ValidateBasic.
func (m *MsgSetHyperparameters) Validate() error { return m.ValidateBasic() }

// Validate is ValidateBasic.
//
// Deprecated: use ValidateBasic.
func (m *MsgRegisterNeuron) Validate() error { return m.ValidateBasic() }

// Validate is ValidateBasic.
//
// Deprecated: use ValidateBasic.
func (m *MsgSetWeights) Validate() error { return m.ValidateBasic() }

// Validate is ValidateBasic.
//
// Deprecated: use ValidateBasic.
func (m *MsgCommitWeights) Validate() error { return m.ValidateBasic() }

// Validate is ValidateBasic.
//
// Deprecated: use ValidateBasic.
func (m *MsgRevealWeights) Validate() error { return m.ValidateBasic() }
