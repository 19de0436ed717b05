#pragma once
/// RFC 4180 CSV: quoting, parsing, and a row appender that flushes every row (a killed run keeps what it wrote).

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace concbench::csv {

using Fields = std::vector<std::string>;
/// A row by column name; writers order it by their column list.
using Row = std::map<std::string, std::string>;

/// Quotes a field when it holds a comma, quote, CR or LF (quotes doubled).
std::string escape(std::string_view field);
/// One record, without its line end.
std::string format_record(const Fields& fields);
/// Parses a whole document into records; throws std::runtime_error on an unterminated quote
/// or a quote in the middle of an unquoted field.
std::vector<Fields> parse(std::string_view text);

struct Table {
  Fields header;
  std::vector<Row> rows;
};
/// What to do with a last record that has no line end: a row torn by a write that never finished (a full
/// disk, a power cut; the appender writes each row in one call, so a killed process leaves whole rows).
enum class TornTail { refuse, drop };

/// Reads a CSV file with a header line; throws std::runtime_error (naming the file) when it is
/// missing, empty, malformed, or has a record whose field count differs from the header's.
/// With TornTail::drop, a last record without its line end is left out instead (resuming a run).
Table read_file(const std::filesystem::path& path, TornTail torn = TornTail::refuse);

/// Appends rows to a CSV file, flushing each one. A new or empty file gets the header first;
/// an existing file must already have exactly this header.
class Appender {
 public:
  Appender(const std::filesystem::path& path, Fields columns);
  ~Appender();
  Appender(const Appender&) = delete;
  Appender& operator=(const Appender&) = delete;

  /// Throws std::logic_error for a column the header does not have (a typo, not data).
  void append(const Row& row);
  const Fields& columns() const { return columns_; }

 private:
  void write_line(const std::string& line);

  std::filesystem::path path_;
  Fields columns_;
  int fd_ = -1;
};

}  // namespace concbench::csv
