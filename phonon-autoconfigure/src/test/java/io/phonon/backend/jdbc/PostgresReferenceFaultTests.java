package io.phonon.backend.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import io.phonon.backend.ReferenceFaultTests;
import io.phonon.backend.ReferenceFaultWorker;
import io.phonon.testsupport.TestDatabases;

class PostgresReferenceFaultTests extends ReferenceFaultTests {

	@Override
	protected String engine() {
		return TestDatabases.postgresUrl();
	}

	@Override
	protected List<String> readLedger(String namespace) throws Exception {
		List<String> entries = new ArrayList<>();
		try (Connection connection = TestDatabases.postgres().getConnection();
				ResultSet rows = connection.createStatement()
					.executeQuery("SELECT entry FROM " + ReferenceFaultWorker.ledgerTable(namespace) + " ORDER BY seq")) {
			while (rows.next()) {
				entries.add(rows.getString(1));
			}
		}
		return entries;
	}

}
