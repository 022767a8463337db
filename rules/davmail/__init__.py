"""DavMail `davmail.properties` rules (DAV codes)."""
