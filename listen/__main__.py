from listen.cli import main

raise SystemExit(main())
