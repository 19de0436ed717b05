#include "harness/report/csv.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>

#include "harness/core/write_all.hpp"

namespace concbench::csv {

std::string escape(std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(field);
  std::string quoted = "\"";
  for (char c : field) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

std::string format_record(const Fields& fields) {
  std::string line;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) line += ',';
    line += escape(fields[i]);
  }
  return line;
}

std::vector<Fields> parse(std::string_view text) {
  std::vector<Fields> records;
  Fields record;
  std::string field;
  bool quoted = false;       // inside a quoted field
  bool was_quoted = false;   // the current field was quoted (so only a separator may follow)
  bool record_open = false;  // something of the current record has been read
  std::size_t line = 1;
  auto end_field = [&] {
    record.push_back(std::move(field));
    field.clear();
    was_quoted = false;
  };
  auto end_record = [&] {
    end_field();
    records.push_back(std::move(record));
    record.clear();
    record_open = false;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
        was_quoted = true;
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == ',') {
      end_field();
      record_open = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      end_record();
      ++line;
    } else if (was_quoted) {
      throw std::runtime_error(fmt::format("line {}: text after a closing quote", line));
    } else if (c == '"') {
      if (!field.empty()) throw std::runtime_error(fmt::format("line {}: quote inside an unquoted field", line));
      quoted = true;
      record_open = true;
    } else {
      field += c;
      record_open = true;
    }
  }
  if (quoted) throw std::runtime_error(fmt::format("line {}: unterminated quoted field", line));
  if (record_open || !field.empty()) end_record();
  return records;
}

Table read_file(const std::filesystem::path& path, TornTail torn) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(fmt::format("{}: cannot read ({})", path.string(), std::strerror(errno)));
  std::ostringstream stream;
  stream << in.rdbuf();
  auto text = stream.str();
  if (torn == TornTail::drop && !text.empty() && text.back() != '\n') {
    const auto last_end = text.rfind('\n');
    text.resize(last_end == std::string::npos ? 0 : last_end + 1);
  }
  std::vector<Fields> records;
  try {
    records = parse(text);
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(fmt::format("{}: malformed CSV: {}", path.string(), e.what()));
  }
  if (records.empty()) throw std::runtime_error(fmt::format("{}: empty file (no header)", path.string()));
  Table table{records.front(), {}};
  for (std::size_t r = 1; r < records.size(); ++r) {
    const auto& record = records[r];
    if (record.size() != table.header.size()) {
      throw std::runtime_error(fmt::format("{}: record {} has {} fields, the header has {}", path.string(), r + 1,
                                           record.size(), table.header.size()));
    }
    Row row;
    for (std::size_t c = 0; c < record.size(); ++c) row[table.header[c]] = record[c];
    table.rows.push_back(std::move(row));
  }
  return table;
}

Appender::Appender(const std::filesystem::path& path, Fields columns) : path_(path), columns_(std::move(columns)) {
  std::error_code ec;
  const bool fresh = !std::filesystem::exists(path, ec) || std::filesystem::file_size(path, ec) == 0;
  if (!fresh) {
    const auto existing = read_file(path);
    if (existing.header != columns_) {
      throw std::runtime_error(fmt::format("{}: has a different header than this version writes", path.string()));
    }
  }
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    throw std::runtime_error(fmt::format("{}: cannot open for writing ({})", path.string(), std::strerror(errno)));
  }
  if (fresh) write_line(format_record(columns_));
}

Appender::~Appender() {
  if (fd_ >= 0) ::close(fd_);
}

void Appender::append(const Row& row) {
  Fields fields;
  fields.reserve(columns_.size());
  for (const auto& column : columns_) {
    const auto it = row.find(column);
    fields.push_back(it == row.end() ? std::string{} : it->second);
  }
  for (const auto& [column, value] : row) {
    if (std::find(columns_.begin(), columns_.end(), column) == columns_.end()) {
      throw std::logic_error(fmt::format("{}: no column '{}'", path_.string(), column));
    }
  }
  write_line(format_record(fields));
}

void Appender::write_line(const std::string& line) {
  // One unbuffered write per row, straight to the kernel: a run killed at any point keeps every
  // row written before it, and no row is left half in a user-space buffer.
  if (!write_all(fd_, line + '\n')) {
    throw std::runtime_error(fmt::format("{}: write failed ({})", path_.string(), std::strerror(errno)));
  }
}

}  // namespace concbench::csv
