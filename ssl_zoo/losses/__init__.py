from ssl_zoo.losses.nt_xent import NTXent
