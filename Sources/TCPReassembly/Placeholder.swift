// TCPReassembly: placeholder until the module lands.
