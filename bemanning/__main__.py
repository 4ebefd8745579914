from bemanning.cli import main

raise SystemExit(main())
