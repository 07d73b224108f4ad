from ssl_zoo.cli.main import main

raise SystemExit(main())
