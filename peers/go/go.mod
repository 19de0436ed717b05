module concbench/peer

go 1.19
